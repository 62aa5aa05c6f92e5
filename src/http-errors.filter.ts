import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { ErrorRequestHandler, Response } from 'express';
import { WithActor } from './auth/actor';
import { FieldError } from './domain/validation';
import { Views } from './web/views';

/** The `{ path, message }` errors a refusal (a 4xx HttpException) carries; null for anything else. */
export function clientErrors(e: unknown): FieldError[] | null {
  if (!(e instanceof HttpException) || e.getStatus() >= 500) return null;
  const body = e.getResponse() as { errors?: FieldError[] };
  return body.errors ?? [{ path: '', message: e.message }];
}

/** At most this much of a value a client sent is echoed back in an error. */
export const MAX_ECHO = 80;

/**
 * Caps what an error message echoes of the request: every quoted value to MAX_ECHO characters,
 * the whole message and path to a few hundred (a refusal never sends back kilobytes of input).
 */
export function capEchoes(e: FieldError): FieldError {
  const cap = (t: string, n: number) => (t.length > n ? `${t.slice(0, n)}...` : t);
  const message = String(e.message).replace(/"(?:[^"\\]|\\.){80,}"/g, (q) => `${q.slice(0, MAX_ECHO + 1)}..."`);
  return { ...e, path: cap(String(e.path), 200), message: cap(message, 400) };
}

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
  /** The app's layout for error pages (read on first use: the API alone never needs it). */
  private views?: Views;

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<{ path?: string; method?: string; originalUrl?: string }>();
    if (req.path && !req.path.startsWith('/api')) {
      this.page(res, req, exception);
      return;
    }
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      if (typeof body === 'object' && body !== null && 'errors' in body) {
        const { errors, ...rest } = body as { errors: FieldError[] };
        res.status(exception.getStatus()).json({ ...rest, errors: Array.isArray(errors) ? errors.slice(0, 1000).map(capEchoes) : errors });
        return;
      }
      const message = typeof body === 'string' ? body : String((body as { message?: unknown }).message ?? exception.message);
      res.status(exception.getStatus()).json(errorBody(message));
      return;
    }
    this.unexpected(exception);
    res.status(500).json(errorBody('internal error; the server log has the details'));
  }

  private unexpected(exception: unknown): void {
    const err = exception instanceof Error ? exception : new Error('non-error thrown');
    this.logger.error(`${err.name}: unexpected error`, err.stack);
  }

  /** A web page's error: to the login page when not logged in, else a small HTML page. */
  private page(res: Response, req: { method?: string; originalUrl?: string }, exception: unknown): void {
    const status = exception instanceof HttpException ? exception.getStatus() : 500;
    if (status === 401 && req.method === 'GET') {
      res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl ?? '/')}`);
      return;
    }
    if (status >= 500) this.unexpected(exception);
    const body = exception instanceof HttpException ? (exception.getResponse() as { errors?: { message: string }[] }) : {};
    const messages = status >= 500 ? ['Something went wrong on the server; its log has the details.'] : (body.errors ?? [{ path: '', message: (exception as Error).message }]).map((e) => capEchoes({ path: '', ...e }).message);
    const heading = status === 403 ? 'Not allowed' : status === 404 ? 'Not found' : status === 401 ? 'Please log in' : 'That did not work';
    const r = req as WithActor;
    this.views ??= new Views();
    res.status(status).type('html').setHeader('Cache-Control', 'no-store');
    res.send(this.views.render('error', { heading, errors: messages.map((message) => ({ message: plainMessage(message) })) }, { actor: r.actor, csrf: r.csrf, title: heading }));
  }
}

/** A message at the head of a sentence on a page. */
function plainMessage(m: string): string {
  return m ? m[0].toUpperCase() + m.slice(1) : m;
}
