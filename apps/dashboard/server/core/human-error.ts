// An error whose message is written for the person at the page ("Offset must be a whole number
// ≥ 0"), with the HTTP status the gateway answers it with. Anything else is reported as the
// broker's own failure.

export class HumanError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}
