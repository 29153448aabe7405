/**
 * Bouncer API keys and machine passwords as cscli 1.4.6 makes and stores them: a key is 16 random
 * bytes in lowercase hex (32 chars), stored as its SHA-512 (core/lapi hashApiKey); a generated
 * password is 64 characters of [A-Ya-z0-9] (upstream's alphabet, without "Z"); passwords are stored
 * as bcrypt hashes (Go's bcrypt.DefaultCost, 10).
 */

/** `length` random bytes, hex-encoded (cscli `bouncers add -l`, default 16 → 32 chars). */
export function generateApiKey(lengthBytes = 16): string {
  const bytes = crypto.getRandomValues(new Uint8Array(lengthBytes));
  return Buffer.from(bytes).toString("hex");
}

const PASSWORD_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYabcdefghijklmnopqrstuvwxyz0123456789";

/** A machine password for `machines add --auto`, drawn without modulo bias. */
export function generatePassword(length = 64): string {
  const out: string[] = [];
  const limit = 256 - (256 % PASSWORD_ALPHABET.length);
  while (out.length < length) {
    for (const b of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (b >= limit) continue;
      out.push(PASSWORD_ALPHABET[b % PASSWORD_ALPHABET.length]!);
      if (out.length === length) break;
    }
  }
  return out.join("");
}

export function hashPassword(password: string): Promise<string> {
  return Bun.password.hash(password, { algorithm: "bcrypt", cost: 10 });
}
