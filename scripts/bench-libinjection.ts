/**
 * libinjection throughput: detectSQLi and detectXSS on ~100-character benign and attack values,
 * the size of a typical request argument.
 *
 *   bun run scripts/bench-libinjection.ts [ITERATIONS]      (default 200000 per input)
 */
import { detectSQLi, detectXSS } from "../core/appsec/libinjection";

const iterations = Number(process.argv[2] ?? 200_000);

const inputs = {
  benign: "The quick brown fox jumps over the lazy dog; O'Reilly & Sons, 42 Main Street, 2024-05-01 10:00",
  sqliAttack: "1' AND 1=1 UNION ALL SELECT username, password FROM users WHERE '1'='1' -- comment here ..",
  xssAttack: "<img src=x onerror=alert(document.cookie)><script>alert(String.fromCharCode(88,83,83))</script>",
};

function measure(label: string, run: (value: string) => unknown, value: string): void {
  for (let i = 0; i < 10_000; i++) run(value); // warm-up
  const start = Bun.nanoseconds();
  for (let i = 0; i < iterations; i++) run(value);
  const seconds = (Bun.nanoseconds() - start) / 1e9;
  const rate = Math.round(iterations / seconds).toLocaleString("en-US");
  console.log(`${label.padEnd(24)} ${value.length} chars: ${rate} inputs/s (${((seconds / iterations) * 1e6).toFixed(2)} µs each)`);
}

measure("detectSQLi benign", detectSQLi, inputs.benign);
measure("detectSQLi attack", detectSQLi, inputs.sqliAttack);
measure("detectXSS benign", detectXSS, inputs.benign);
measure("detectXSS attack", detectXSS, inputs.xssAttack);
measure("detectXSS on SQLi attack", detectXSS, inputs.sqliAttack);
