// The wire protocol shared by server and browser, one file per message family. Pure data: no DOM,
// no mediasoup, no Socket.IO, no logging (tests/unit/signaling/layers.test.ts checks), so both sides import it.
export * from './auto';
export * from './common';
export * from './e2ee';
export * from './events';
export * from './host';
export * from './mesh';
export * from './room';
export * from './sfu';
export * from './stats';
