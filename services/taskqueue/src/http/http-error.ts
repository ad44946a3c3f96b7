// An API answer other than 200, in RabbitMQ's body shape: {"error": …, "reason": …}.
export class HttpError extends Error {
  /** `reason` is a string, or (as RabbitMQ gives some) a JSON array */
  constructor(
    readonly status: number,
    readonly error: string,
    readonly reason: unknown,
  ) {
    super(typeof reason === 'string' ? reason : JSON.stringify(reason));
  }
}

/** RabbitMQ's 404 body; a declaration with `never`, so a call narrows like a throw */
export function notFound(): never {
  throw new HttpError(404, 'Object Not Found', 'Not Found');
}
