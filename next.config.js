// Next.js configuration. PGlite, pg and pino load native-ish assets (WASM,
// worker files) at run time, so they stay outside the server bundle.
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  serverExternalPackages: [
    '@electric-sql/pglite',
    '@electric-sql/pglite-socket',
    '@electric-sql/pglite-pgvector',
    '@prisma/client',
    '@prisma/adapter-pg',
    'pg',
    'pino',
    'nodemailer',
  ],
};

export default nextConfig;
