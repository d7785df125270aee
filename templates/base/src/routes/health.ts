import { Router } from 'express';

// Mounted before the session middleware: load balancers poll it, and it must never create sessions.
export function healthRoutes(ping: () => Promise<unknown>): Router {
  const router = Router();
  router.get('/health', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    try {
      await ping();
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });
  return router;
}
