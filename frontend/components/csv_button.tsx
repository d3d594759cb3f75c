'use client';
// "CSV": the table beside it, as the API gives it with format=csv, saved as a file.
import { useState } from 'react';
import { download_csv } from '@/lib/api';

export default function CsvButton({ path, token, filename }: { path: string; token: string; filename: string }) {
  const [failed, setFailed] = useState('');
  return (
    <span className="csv">
      <button
        type="button"
        data-testid={`csv-${filename.replace(/\.csv$/, '')}`}
        aria-label={`Download ${filename}`}
        onClick={() => {
          setFailed('');
          download_csv(path, token, filename).catch((e: unknown) => setFailed(e instanceof Error ? e.message : String(e)));
        }}
      >
        CSV
      </button>
      {failed && (
        <span role="alert" className="muted">
          {' '}
          {failed}
        </span>
      )}
    </span>
  );
}
