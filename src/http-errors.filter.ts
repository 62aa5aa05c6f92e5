import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';

interface BodyParserError {
  type?: string;
  status?: number;
  message?: string;
}

function isBodyParserError(e: unknown): e is BodyParserError {
  return typeof e === 'object' && e !== null && typeof (e as BodyParserError).type === 'string' && typeof (e as BodyParserError).status === 'number';
}

/**
 * Every error leaves as JSON with `errors: [{ path, message }]`. Malformed request bodies are the
 * client's fault (400/413), not a 500. Unexpected errors are logged by name and stack only: never
 * the request body, which may hold PHI.
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
      res.status(exception.getStatus()).json({ errors: [{ path: '', message }] });
      return;
    }
    if (isBodyParserError(exception) && exception.status! < 500) {
      const message = exception.type === 'entity.parse.failed'
        ? 'the request body is not valid JSON'
        : exception.type === 'entity.too.large' ? 'the request body is too large' : 'the request body cannot be read';
      res.status(exception.status!).json({ errors: [{ path: '', message }] });
      return;
    }
    const err = exception instanceof Error ? exception : new Error('non-error thrown');
    this.logger.error(`${err.name}: unexpected error`, err.stack);
    res.status(500).json({ errors: [{ path: '', message: 'internal error; the server log has the details' }] });
  }
}
