// A table that may be wider than a phone: it scrolls sideways, takes keyboard focus so it can be
// scrolled without a mouse, and says so under it when it overflows.
import type { ReactNode } from 'react';

export default function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
