import { RequestHandler } from 'express';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** A 405: the path exists, the method doesn't (RFC 9110 §15.5.6). */
class MethodNotAllowedError extends Error {
  readonly name = 'MethodNotAllowedError';
  readonly statusCode = 405;
}

/**
 * The last handler of the API: a request no route took, on a path the spec
 * defines with other methods, is a 405 with an `Allow` header listing them
 * (anything else goes on to the 404).
 */
export function methodNotAllowed(
  paths: Record<string, Record<string, unknown>>,
): RequestHandler {
  const templates = Object.entries(paths).map(([template, item]) => {
    const methods = METHODS.filter(m => m !== 'head' && m in item).map(m =>
      m.toUpperCase(),
    );
    // HEAD goes wherever GET does (express answers it with the GET route).
    if (methods.includes('GET')) methods.push('HEAD');
    const pattern = template
      .split('/')
      .map(part =>
        /^\{[^}]+\}$/.test(part)
          ? '[^/]+'
          : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('/');
    return { regex: new RegExp(`^${pattern}/?$`), methods };
  });
  return (req, res, next) => {
    const match = templates.find(t => t.regex.test(req.path));
    if (!match || match.methods.includes(req.method)) {
      next();
      return;
    }
    res.setHeader('Allow', match.methods.join(', '));
    next(
      new MethodNotAllowedError(
        `${req.method} is not allowed on ${
          req.path
        }; allowed: ${match.methods.join(', ')}`,
      ),
    );
  };
}
