'use client';
// The date range every section follows: presets and a custom pair of days.
import { useEffect, useState } from 'react';
import { range_keys, range_labels, range_of, range_text, type DayRange, type RangeKey } from '@/lib/range';

export default function RangePicker({
  range,
  today,
  onChange,
}: {
  range: DayRange;
  today: string;
  onChange: (r: DayRange) => void;
}) {
  const [from, setFrom] = useState(range.from);
  const [to, setTo] = useState(range.to);
  useEffect(() => {
    setFrom(range.from);
    setTo(range.to);
  }, [range.from, range.to]);
  const pick = (key: RangeKey) => onChange(key === 'custom' ? range_of('custom', today, from, to) : range_of(key, today));
  return (
    <section className="range" aria-label="Date range" data-testid="range">
      <div className="range-presets" role="group" aria-label="Period">
        {range_keys
          .filter((k) => k !== 'custom')
          .map((k) => (
            <button
              key={k}
              type="button"
              aria-pressed={range.key === k}
              data-testid={`range-${k}`}
              onClick={() => pick(k)}
            >
              {range_labels[k]}
            </button>
          ))}
      </div>
      <form
        className="range-custom"
        onSubmit={(e) => {
          e.preventDefault();
          pick('custom');
        }}
      >
        <label>
          From <input type="date" value={from} max={today} onChange={(e) => setFrom(e.target.value)} data-testid="range-from" />
        </label>
        <label>
          to <input type="date" value={to} max={today} onChange={(e) => setTo(e.target.value)} data-testid="range-to" />
        </label>
        <button type="submit" aria-pressed={range.key === 'custom'} data-testid="range-custom">
          Apply
        </button>
      </form>
      <p className="range-text muted" data-testid="range-text" data-from={range.from} data-to={range.to}>
        {range_text(range)}
      </p>
    </section>
  );
}
