/** Settings shared by the examples: the server URL and a registration token from the environment. */

/** `ARCA_API_URL` (default `http://127.0.0.1:8000`). */
export const apiUrl: string = Deno.env.get("ARCA_API_URL") ?? "http://127.0.0.1:8000";

/** `ARCA_REGISTRATION_TOKEN` (required). */
export function registrationToken(): string {
  const token = Deno.env.get("ARCA_REGISTRATION_TOKEN");
  if (!token) {
    console.error("Set ARCA_REGISTRATION_TOKEN (and ARCA_API_URL) to run this example.");
    Deno.exit(2);
  }
  return token;
}
