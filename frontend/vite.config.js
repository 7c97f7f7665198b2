import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// The built files go under /static/: CloudFront sends /assets/* to the
// assets bucket (public images), so the app's own hashed files must not
// live there. Everything under static/ is content-hashed, which is what
// lets the deploy cache it for a year.
export default defineConfig({
  plugins: [react()],
  build: {
    assetsDir: 'static',
    // No inline modulepreload polyfill or data: URLs for small assets: the
    // Content-Security-Policy allows scripts, styles and images from the
    // page's own origin only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: {
    // `npm run dev` proxies the API as CloudFront does in AWS.
    proxy: { '/api': process.env.API_ORIGIN || 'http://127.0.0.1:5080' },
  },
})
