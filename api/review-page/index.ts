/**
 * The reviewer's page, `GET /review`: static HTML, CSS and JavaScript from this folder, nothing fetched
 * from elsewhere. The page holds no data of its own: it signs in with a reviewer key and calls the
 * `/v1/reviews` endpoints like any other client.
 */
import path from 'node:path';
import express, { Router, type Response } from 'express';

const PAGE = path.join(__dirname, 'index.html');
const ASSETS = path.join(__dirname, 'assets');

/**
 * Nothing foreign and nothing inline: scripts, styles, images and API calls come from this origin, and
 * the page may not be framed. Model output and intake text reach the page only as text nodes.
 */
export const REVIEW_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

function pageHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', REVIEW_PAGE_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
}

/** `GET /review` and its assets under `/review/assets/`. */
export function reviewPageRoutes(): Router {
  const router = Router();
  router.get('/review', (_req, res, next) => {
    pageHeaders(res);
    // The page is small and changes with each release; what it shows is fetched with the reviewer's key.
    res.setHeader('Cache-Control', 'no-store');
    res.sendFile(PAGE, { cacheControl: false, etag: false, lastModified: false }, (err) => {
      if (err) next(err);
    });
  });
  router.use(
    '/review/assets',
    express.static(ASSETS, {
      index: false,
      redirect: false,
      dotfiles: 'ignore',
      cacheControl: false,
      setHeaders: (res) => {
        pageHeaders(res);
        // Revalidated on every load (ETag), so a new release is picked up at once.
        res.setHeader('Cache-Control', 'no-cache');
      },
    }),
  );
  return router;
}
