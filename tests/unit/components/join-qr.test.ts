import { describe, expect, it } from 'vitest';
import { encode } from 'uqr';
import { qrPath } from '../../../app/components/lobby/JoinQr';

describe('join QR code', () => {
  it('draws exactly the dark modules of the code, inside a 2-module quiet zone', () => {
    const url = 'https://192.168.1.20:3000/';
    const { size, d } = qrPath(url);
    const { data } = encode(url, { border: 2 });
    expect(size).toBe(data.length);
    const squares = d.match(/M\d+ \d+h1v1h-1z/g) ?? [];
    expect(squares.length).toBe(data.flat().filter(Boolean).length);
    expect(squares.join('')).toBe(d);
    // The top-left finder pattern starts right after the quiet zone; the zone itself stays light.
    expect(d.startsWith('M2 2h1v1h-1z')).toBe(true);
    expect(d).not.toMatch(/M[01] |M\d+ [01]h/);
  });
});
