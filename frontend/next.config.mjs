// A static export: `next build` writes out/, which Vercel or `costs-server --static-dir` serves.
// COSTS_PAGE_OUT writes it elsewhere (the tests build the page a second time for an API on
// another origin).
/** @type {import('next').NextConfig} */
const nextConfig = {
  output: 'export',
  trailingSlash: true,
  images: { unoptimized: true },
  poweredByHeader: false,
  ...(process.env.COSTS_PAGE_OUT ? { distDir: process.env.COSTS_PAGE_OUT } : {}),
};

export default nextConfig;
