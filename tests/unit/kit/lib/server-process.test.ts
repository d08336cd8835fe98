// Reading the server's Prometheus text: the SFU egress the topology benchmark reports.
import { describe, expect, it } from 'vitest';
import { metricValue } from '../../../../scripts/kit/lib/server-process';

describe('metricValue', () => {
  it('picks a Prometheus sample by labels', () => {
    const text = [
      '# HELP sfu_transport_bytes Bytes',
      '# TYPE sfu_transport_bytes gauge',
      'sfu_transport_bytes{mode="sfu",direction="in"} 100',
      'sfu_transport_bytes{mode="sfu",direction="out"} 250',
      'sfu_transport_bytes_other 9',
    ].join('\n');
    expect(metricValue(text, 'sfu_transport_bytes', { direction: 'out' })).toBe(250);
    expect(metricValue(text, 'sfu_transport_bytes')).toBe(100);
    expect(metricValue(text, 'sfu_transport_bytes', { direction: 'sideways' })).toBeNull();
  });
});
