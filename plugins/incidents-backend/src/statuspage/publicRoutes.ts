import express, { Request, Response } from 'express';
import { PublicDocument, PublicStatusPage } from './PublicStatusPage';

/** The public endpoints and the document each serves. */
const DOCUMENTS: Record<string, PublicDocument> = {
  '/status': 'html',
  '/api/v2/summary.json': 'summary',
  '/api/v2/status.json': 'status',
  '/api/v2/components.json': 'components',
  '/api/v2/incidents.json': 'incidents',
  '/api/v2/incidents/unresolved.json': 'unresolved',
  '/api/v2/scheduled-maintenances.json': 'maintenances',
  '/api/v2/scheduled-maintenances/upcoming.json': 'upcoming',
  '/api/v2/scheduled-maintenances/active.json': 'active',
  '/api/v2/uptime.json': 'uptime',
  '/history.atom': 'atom',
  '/history.rss': 'rss',
  '/badge.svg': 'badge',
};

/** Caches downstream (browsers, CDNs) may keep a document this long. */
const MAX_AGE_SECONDS = 5;

/**
 * The public status page under `/public` (no sign-in: the plugin adds an
 * unauthenticated auth policy for it). Served from `PublicStatusPage`'s
 * cache with an ETag; `If-None-Match` answers 304.
 */
export function createPublicRouter(page: PublicStatusPage | undefined) {
  const router = express.Router();
  router.get('/', (req, res) => res.redirect(302, `${req.baseUrl}/status`));
  for (const [path, document] of Object.entries(DOCUMENTS)) {
    router.get(path, async (req: Request, res: Response, next) => {
      if (!page) {
        res.status(404).json({
          error: {
            name: 'NotFoundError',
            message: 'The status page is not enabled (incidents.statusPage)',
          },
          request: { method: req.method, url: req.originalUrl },
          response: { statusCode: 404 },
        });
        return;
      }
      try {
        const rendered = await page.render(document);
        res.setHeader('ETag', rendered.etag);
        res.setHeader(
          'Cache-Control',
          `public, max-age=${MAX_AGE_SECONDS}, stale-while-revalidate=30`,
        );
        res.setHeader('Access-Control-Allow-Origin', '*');
        res.setHeader('X-Content-Type-Options', 'nosniff');
        if (document === 'html') {
          res.setHeader(
            'Content-Security-Policy',
            "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
          );
        }
        if (req.headers['if-none-match'] === rendered.etag) {
          res.status(304).end();
          return;
        }
        res.setHeader('Content-Type', rendered.contentType);
        res.end(rendered.body);
      } catch (error) {
        next(error);
      }
    });
  }
  return router;
}
