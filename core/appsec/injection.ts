/** libinjection as the operators use it (@detectSQLi, @detectXSS): the port in ./libinjection. */
import { detectSQLi, detectXSS } from "./libinjection";

export interface Injection {
  detectSQLi(input: string): { injection: boolean; fingerprint: string };
  detectXSS(input: string): boolean;
}

export const LIBINJECTION: Injection | undefined = { detectSQLi, detectXSS };
