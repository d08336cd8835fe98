// Every setting the server reads, parsed once from the environment (see .env.example).
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { z } from 'zod';

const bool = z
  .enum(['0', '1', 'true', 'false'])
  .transform((v) => v === '1' || v === 'true');
const port = z.coerce.number().int().min(0).max(65535);
const list = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean));

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  /** Where to listen; default 127.0.0.1, or every interface when PUBLIC_HOST is set. */
  HOST: z.string().min(1).optional(),
  /**
   * The LAN address or name others reach this machine at. Setting it serves HTTPS (TLS_CERT/TLS_KEY,
   * or a generated certificate) on every interface and derives the SFU's and TURN's addresses and
   * the allowed origin from it.
   */
  PUBLIC_HOST: z.string().regex(/^[A-Za-z0-9.:-]{1,253}$/, 'an IP address or a host name').optional(),
  TLS_CERT: z.string().min(1).optional(),
  TLS_KEY: z.string().min(1).optional(),
  /** Where the generated CA and certificates are kept (default ~/.local/state/mesh-vs-sfu/tls). */
  TLS_DIR: z.string().min(1).optional(),
  PORT: port.default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MESH_MAX_PEERS: z.coerce.number().int().min(2).max(50).default(6),
  SFU_MAX_PEERS: z.coerce.number().int().min(2).max(500).default(16),
  /** Auto rooms run on the SFU above this many participants (a room's creator may pick another with sfuAbove). */
  AUTO_SFU_ABOVE: z.coerce.number().int().min(1).max(50).default(2),
  RATE_LIMIT_PER_SEC: z.coerce.number().int().min(1).default(50),
  RATE_LIMIT_BURST: z.coerce.number().int().min(1).default(200),
  SFU_ENABLED: bool.default(true),
  SFU_NUM_WORKERS: z.coerce.number().int().min(1).max(64).default(os.cpus().length),
  /** nice (-20..19) for the mediasoup workers, or "off" to leave them at the server's (see server/sfu/config.ts). */
  SFU_WORKER_NICE: z.union([z.literal('off'), z.coerce.number().int().min(-20).max(19)]).default(-15),
  SFU_LISTEN_IP: z.string().optional(),
  /**
   * On one machine (no PUBLIC_HOST, SFU_LISTEN_IP unset) the SFU also listens on the machine's own
   * LAN addresses, because Firefox at its defaults never pairs with a loopback candidate. 1 keeps
   * it on 127.0.0.1 alone.
   */
  SFU_LOOPBACK_ONLY: bool.default(false),
  SFU_ANNOUNCED_ADDRESS: z.string().optional(),
  SFU_RTC_MIN_PORT: port.default(40000),
  SFU_RTC_MAX_PORT: port.default(40999),
  /** managed: the server runs coturn on loopback (dev); external: use TURN_URLS/TURN_SECRET; off. */
  TURN_MODE: z.enum(['managed', 'external', 'off']).default('managed'),
  TURN_PORT: port.default(3478),
  /** TURN/STUN URLs handed to browsers, e.g. "turn:127.0.0.1:3478?transport=udp". */
  TURN_URLS: list.default([]),
  STUN_URLS: list.default([]),
  /** coturn's static-auth-secret; credentials are minted per participant, never shipped in the bundle. */
  TURN_SECRET: z.string().optional(),
  TURN_CREDENTIAL_TTL_SEC: z.coerce.number().int().min(60).max(3600).default(3600),
  /** How long a disconnected participant's seat is kept for a reconnect to resume it. */
  RESUME_GRACE_SEC: z.coerce.number().min(0).max(600).default(20),
  /** Signs resume tokens; when unset, one is generated once and kept in RESUME_SECRET_FILE. */
  RESUME_SECRET: z.string().min(16).optional(),
  RESUME_SECRET_FILE: z.string().min(1).optional(),
  /** Web origins besides the server's own pages that may open signaling connections (comma-separated). */
  PUBLIC_ORIGINS: list.default([]),
  /** Bearer token for the failure drill (/drill/...); random per process and printed when unset. */
  OPERATOR_TOKEN: z.string().min(16).optional(),
  /** Several server nodes share rooms through this Redis (redis://host:port); unset: one process, no Redis. */
  REDIS_URL: z.string().regex(/^rediss?:\/\/\S+$/, 'a redis:// or rediss:// URL').optional(),
  /** This node's name in the cluster (default: host name and port). */
  NODE_ID: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, '1-64 letters, digits, ".", "_", ":" or "-"').optional(),
  /** Where the other nodes reach this one's internal endpoints (default: this node's own origin). */
  NODE_INTERNAL_URL: z.string().url().optional(),
  /** Authenticates the nodes' internal requests to each other; the same on every node (REDIS_URL needs it). */
  CLUSTER_SECRET: z.string().min(16).optional(),
});

export type Config = ReturnType<typeof parseConfig>;

export function parseConfig(env: Record<string, string | undefined> = process.env) {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  if (c.AUTO_SFU_ABOVE > c.MESH_MAX_PEERS) throw new Error('invalid configuration: AUTO_SFU_ABOVE > MESH_MAX_PEERS (below the threshold an auto room is a mesh call)');
  if (c.SFU_RTC_MIN_PORT > c.SFU_RTC_MAX_PORT) throw new Error('invalid configuration: SFU_RTC_MIN_PORT > SFU_RTC_MAX_PORT');
  if (c.REDIS_URL && !c.CLUSTER_SECRET) throw new Error('invalid configuration: REDIS_URL needs CLUSTER_SECRET (the same on every node; it authenticates the nodes to each other)');
  if ((c.TLS_CERT || c.TLS_KEY) && !c.PUBLIC_HOST) throw new Error('invalid configuration: TLS_CERT/TLS_KEY need PUBLIC_HOST (the name the certificate is for)');
  const lan = c.PUBLIC_HOST ?? null;
  // One setting for a LAN class: everything that must agree with the public host follows it.
  const publicOrigin = lan ? `https://${lan.includes(':') ? `[${lan}]` : lan}:${c.PORT}` : null;
  return {
    // main.ts replaces a generated secret with the kept one (server/resume-secret.ts); parsing stays pure.
    resume: {
      graceMs: c.RESUME_GRACE_SEC * 1000,
      secret: c.RESUME_SECRET ?? randomBytes(32).toString('base64url'),
      configuredSecret: c.RESUME_SECRET,
      secretFile: c.RESUME_SECRET_FILE,
    },
    operatorToken: c.OPERATOR_TOKEN ?? randomBytes(18).toString('base64url'),
    /** Several nodes sharing rooms through Redis, or null for one process holding everything. */
    cluster: c.REDIS_URL
      ? {
          redisUrl: c.REDIS_URL,
          nodeId: c.NODE_ID ?? `${os.hostname()}:${c.PORT}`,
          internalUrl: (c.NODE_INTERNAL_URL ?? publicOrigin ?? `http://127.0.0.1:${c.PORT}`).replace(/\/+$/, ''),
          /** Where browsers reach this node (its pages and signaling): they fail over to it when theirs dies. */
          publicUrl: publicOrigin ?? `http://127.0.0.1:${c.PORT}`,
          secret: c.CLUSTER_SECRET!,
        }
      : null,
    operatorTokenGenerated: c.OPERATOR_TOKEN === undefined,
    publicOrigins: [...c.PUBLIC_ORIGINS.map((o) => o.replace(/\/+$/, '')), ...(publicOrigin ? [publicOrigin] : [])],
    /** HTTPS on the LAN (PUBLIC_HOST), or null for plain http on this machine. */
    // ip: PUBLIC_HOST's address, known once resolved (withLanAddress).
    lan: lan ? { publicHost: lan, publicOrigin: publicOrigin!, tlsCert: c.TLS_CERT, tlsKey: c.TLS_KEY, tlsDir: c.TLS_DIR, ip: null as string | null } : null,
    dev: c.NODE_ENV === 'development',
    host: c.HOST ?? (lan ? '0.0.0.0' : '127.0.0.1'),
    port: c.PORT,
    logLevel: c.LOG_LEVEL,
    rooms: { meshMaxPeers: c.MESH_MAX_PEERS, sfuMaxPeers: c.SFU_MAX_PEERS, autoSfuAbove: c.AUTO_SFU_ABOVE },
    rateLimit: { perSecond: c.RATE_LIMIT_PER_SEC, burst: c.RATE_LIMIT_BURST },
    sfu: {
      enabled: c.SFU_ENABLED,
      numWorkers: c.SFU_NUM_WORKERS,
      workerNice: c.SFU_WORKER_NICE === 'off' ? null : c.SFU_WORKER_NICE,
      listenIp: c.SFU_LISTEN_IP ?? (lan ? '0.0.0.0' : '127.0.0.1'),
      /** Further addresses the transports listen on: see withLocalSfuAddresses. */
      alsoListenIps: [] as string[],
      // Whether the machine's own addresses may be added (withLocalSfuAddresses).
      addLocalAddresses: !lan && c.SFU_LISTEN_IP === undefined && !c.SFU_LOOPBACK_ONLY,
      // On the LAN it defaults to PUBLIC_HOST's address, known only once resolved (withLanAddress).
      announcedAddress: c.SFU_ANNOUNCED_ADDRESS,
      rtcMinPort: c.SFU_RTC_MIN_PORT,
      rtcMaxPort: c.SFU_RTC_MAX_PORT,
    },
    ice: {
      turnMode: c.TURN_MODE,
      turnPort: c.TURN_PORT,
      turnUrls: c.TURN_URLS,
      stunUrls: c.STUN_URLS,
      turnSecret: c.TURN_SECRET,
      ttlSeconds: c.TURN_CREDENTIAL_TTL_SEC,
    },
  };
}

/**
 * The configuration once PUBLIC_HOST's address is known (a name is resolved once at startup, since
 * browsers ignore host names in ICE candidates): coturn listens and relays on it, and the SFU
 * announces it unless SFU_ANNOUNCED_ADDRESS says otherwise.
 */
export function withLanAddress<C extends Config>(config: C, ip: string): C {
  if (!config.lan) return config;
  return { ...config, lan: { ...config.lan, ip }, sfu: { ...config.sfu, announcedAddress: config.sfu.announcedAddress ?? ip } };
}

/**
 * On one machine the SFU listens on 127.0.0.1, which Chromium reaches but Firefox does not (at its
 * defaults it pairs no loopback candidates). So it also listens on the machine's own non-loopback
 * IPv4 addresses (one per interface): candidates only this machine's browsers learn, through
 * signaling that itself listens on loopback only. Off with SFU_LISTEN_IP, PUBLIC_HOST or
 * SFU_LOOPBACK_ONLY=1.
 */
export function withLocalSfuAddresses<C extends Config>(config: C, interfaces: Record<string, { address: string; family: string | number; internal: boolean }[] | undefined>): C {
  if (!config.sfu.addLocalAddresses) return config;
  const alsoListenIps = Object.values(interfaces).flatMap((list) => {
    const v4 = (list ?? []).find((a) => !a.internal && (a.family === 'IPv4' || a.family === 4));
    return v4 ? [v4.address] : [];
  });
  return { ...config, sfu: { ...config.sfu, alsoListenIps } };
}
