import type { Metadata } from 'next';
import Dashboard from '@/components/dashboard';

export const metadata: Metadata = { title: 'AI spend · costs' };

export default function CostsPage() {
  return <Dashboard />;
}
