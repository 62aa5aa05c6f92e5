import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

type Middleware = (req: Request, res: Response, next: NextFunction) => void;

/**
 * Security headers. Over https (the request's own TLS, or a proxy's X-Forwarded-Proto when the
 * public URL is https) the pages get HSTS and the CSP's upgrade-insecure-requests; over plain http
 * neither, since upgrade-insecure-requests makes a browser post the login form to an https:// the
 * server does not have. The API docs page (Swagger UI) needs inline scripts, the app pages none.
 */
export function securityHeaders(publicUrl: string | null): Middleware {
  const overHttps = (req: Request) => req.secure || (Boolean(publicUrl?.startsWith('https://')) && req.headers['x-forwarded-proto'] === 'https');
  const plainCsp = { useDefaults: true, directives: { upgradeInsecureRequests: null } };
  const variants = {
    https: helmet(),
    http: helmet({ hsts: false, contentSecurityPolicy: plainCsp }),
    docsHttps: helmet({ contentSecurityPolicy: false }),
    docsHttp: helmet({ contentSecurityPolicy: false, hsts: false }),
  };
  return (req, res, next) => {
    const docs = req.path.startsWith('/api/docs');
    const secure = overHttps(req);
    (docs ? (secure ? variants.docsHttps : variants.docsHttp) : secure ? variants.https : variants.http)(req, res, next);
  };
}
