import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { ErrorRequestHandler, Response } from 'express';

/** The JSON shape of every error the API returns. */
export function errorBody(message: string, path = ''): { errors: { path: string; message: string }[] } {
  return { errors: [{ path, message }] };
}

/**
 * Body-parser failures become a 400 or 413 with a fixed message. The parser's own message can
 * quote the request body, which may hold PHI, so it is never echoed or logged.
 */
export const bodyParserErrors: ErrorRequestHandler = (err: { type?: string; status?: number }, _req, res, next) => {
  if (typeof err?.type !== 'string' || typeof err.status !== 'number' || err.status >= 500) {
    next(err);
    return;
  }
  const message = err.type === 'entity.parse.failed'
    ? 'the request body is not valid JSON'
    : err.type === 'entity.too.large' ? 'the request body is too large' : 'the request body cannot be read';
  res.status(err.status).json(errorBody(message));
};

/**
 * Every error leaves as JSON with `errors: [{ path, message }]`. Unexpected errors are logged by
 * name and stack only, never with the request, and answered with a generic 500.
 */
@Catch()
export class HttpErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      if (typeof body === 'object' && body !== null && 'errors' in body) {
        res.status(exception.getStatus()).json(body);
        return;
      }
      const message = typeof body === 'string' ? body : String((body as { message?: unknown }).message ?? exception.message);
      res.status(exception.getStatus()).json(errorBody(message));
      return;
    }
    const err = exception instanceof Error ? exception : new Error('non-error thrown');
    this.logger.error(`${err.name}: unexpected error`, err.stack);
    res.status(500).json(errorBody('internal error; the server log has the details'));
  }
}
