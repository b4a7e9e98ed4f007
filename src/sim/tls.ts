/**
 * A throwaway PKI for the simulator: a self-signed CA and a serving certificate it signs, with SANs for
 * localhost / 127.0.0.1 / ::1 and the listen host. The CA goes into the kubeconfig
 * (certificate-authority-data), so kubectl and client-node verify the server as they would a real cluster.
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { isIP } from 'node:net';
import {
  bitString,
  boolean,
  explicit,
  implicit,
  integer,
  octetString,
  oid,
  sequence,
  set,
  smallInteger,
  time,
  utf8String,
} from './der.js';

export interface SimPki {
  caCertPem: string;
  certPem: string;
  keyPem: string;
}

const ECDSA_SHA256 = '1.2.840.10045.4.3.2';

function name(commonName: string, organization?: string): Buffer {
  const rdns = [set(sequence(oid('2.5.4.3'), utf8String(commonName)))];
  if (organization) rdns.unshift(set(sequence(oid('2.5.4.10'), utf8String(organization))));
  return sequence(...rdns);
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical
    ? sequence(oid(id), boolean(true), octetString(value))
    : sequence(oid(id), octetString(value));
}

/** KeyUsage BIT STRING from bit numbers (0 = digitalSignature, 5 = keyCertSign, 6 = cRLSign). */
function keyUsage(bits: number[]): Buffer {
  let byte = 0;
  for (const b of bits) byte |= 0x80 >> b;
  const unused = Math.min(7, 7 - Math.max(...bits));
  return bitString(Buffer.from([byte]), unused);
}

function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  // Expand IPv6 (handles '::' compression) into 16 bytes.
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const headParts = head ? head.split(':').filter(Boolean) : [];
  const tailParts = tail ? tail.split(':').filter(Boolean) : [];
  const zeros = new Array(8 - headParts.length - tailParts.length).fill('0');
  const groups = tail === undefined ? headParts : [...headParts, ...zeros, ...tailParts];
  const out = Buffer.alloc(16);
  for (const [i, g] of groups.entries()) out.writeUInt16BE(Number.parseInt(g, 16), i * 2);
  return out;
}

function certificate(opts: {
  subject: Buffer;
  issuer: Buffer;
  publicKey: KeyObject;
  signingKey: KeyObject;
  extensions: Buffer[];
  days: number;
}): Buffer {
  const now = Date.now();
  const tbs = sequence(
    explicit(0, smallInteger(2)),
    integer(Buffer.concat([Buffer.from([0x01]), randomBytes(15)])),
    sequence(oid(ECDSA_SHA256)),
    opts.issuer,
    sequence(time(new Date(now - 3600_000)), time(new Date(now + opts.days * 86400_000))),
    opts.subject,
    opts.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(...opts.extensions)),
  );
  const signature = sign('sha256', tbs, opts.signingKey);
  return sequence(tbs, sequence(oid(ECDSA_SHA256)), bitString(signature));
}

function pem(label: string, der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END ${label}-----\n`;
}

function keyId(key: KeyObject): Buffer {
  return createHash('sha1')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest();
}

/** Generates a fresh CA and a serving certificate for `host` (plus the loopback names). */
export function generatePki(host = '127.0.0.1'): SimPki {
  const ca = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const server = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const caName = name('kube-node-gateway-sim-ca', 'kube-node-gateway');
  const caId = keyId(ca.publicKey);

  const caDer = certificate({
    subject: caName,
    issuer: caName,
    publicKey: ca.publicKey,
    signingKey: ca.privateKey,
    days: 365,
    extensions: [
      extension('2.5.29.19', true, sequence(boolean(true))),
      extension('2.5.29.15', true, keyUsage([0, 5, 6])),
      extension('2.5.29.14', false, octetString(caId)),
    ],
  });

  const dnsNames = new Set(['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc']);
  const ips = new Set(['127.0.0.1', '::1']);
  if (isIP(host)) {
    if (host !== '0.0.0.0' && host !== '::') ips.add(host);
  } else {
    dnsNames.add(host);
  }
  const sans = [
    ...[...dnsNames].map((d) => implicit(2, Buffer.from(d, 'ascii'))),
    ...[...ips].map((ip) => implicit(7, ipBytes(ip))),
  ];

  const serverDer = certificate({
    subject: name('kube-apiserver'),
    issuer: caName,
    publicKey: server.publicKey,
    signingKey: ca.privateKey,
    days: 365,
    extensions: [
      extension('2.5.29.19', true, sequence()),
      extension('2.5.29.15', true, keyUsage([0])),
      extension('2.5.29.37', false, sequence(oid('1.3.6.1.5.5.7.3.1'))),
      extension('2.5.29.17', false, sequence(...sans)),
      extension('2.5.29.35', false, sequence(implicit(0, caId))),
    ],
  });

  return {
    caCertPem: pem('CERTIFICATE', caDer),
    certPem: pem('CERTIFICATE', serverDer),
    keyPem: String(server.privateKey.export({ type: 'pkcs8', format: 'pem' })),
  };
}
