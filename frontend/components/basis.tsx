// Says whether a figure is billed (a provider's own number) or estimated (priced from logs).
import type { Basis } from '@/lib/api';

const titles: Record<Basis, string> = {
  billed: 'Billed: the provider’s own figure',
  estimated: 'Estimated: tokens from local logs priced at list prices',
  mixed: 'Billed and estimated figures added together',
  none: 'Nothing recorded',
};

export default function BasisTag({ basis }: { basis: Basis }) {
  if (basis === 'none') return null;
  return (
    <span className={`tag tag-${basis}`} title={titles[basis]} data-testid="basis">
      {basis}
    </span>
  );
}
