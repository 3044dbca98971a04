import { X509Certificate, createHash, generateKeyPair, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';

/**
 * The emulator's certificates, so that ordinary clients (MSAL Node, Python and .NET, azure-identity)
 * accept `https://127.0.0.1:<port>/<tenant>` as an authority with nothing but a CA bundle:
 *  - a CA of its own (`ca.pem`: the file clients are given as `caFile` / NODE_EXTRA_CA_CERTS /
 *    REQUESTS_CA_BUNDLE / `verify=`);
 *  - a server certificate for 127.0.0.1, ::1 and localhost signed by it;
 *  - a client certificate the emulator's app registration trusts, for client credentials with a
 *    certificate assertion (`client.pem`: private key and certificate, as azure-identity's
 *    ClientCertificateCredential and MSAL Python read them).
 * With a data dir they are kept in `<dataDir>/tls` (a CA trusted once stays trusted); in memory
 * they are made once per process in a temp folder. Keys are RSA 2048 (what Entra accepts for
 * certificate credentials [DOC: certificate-credentials]); node-forge writes the X.509 structures.
 */
export interface EmulatorTls {
  /** The CA certificate (PEM) clients trust. */
  readonly caFile: string;
  readonly caPem: string;
  readonly serverKeyPem: string;
  /** Server certificate, then the CA (the chain a TLS server sends). */
  readonly serverCertPem: string;
  /** Private key and certificate of the app's registered client certificate. */
  readonly clientCertificateFile: string;
  readonly clientCertificate: RegisteredCertificate;
}

/** A certificate registered on the app (what Entra stores: the public part and its thumbprints). */
export interface RegisteredCertificate {
  readonly certPem: string;
  readonly privateKeyPem: string;
  /** Hex SHA-1 of the DER certificate (MSAL's `thumbprint`, JWT header x5t as base64url). */
  readonly thumbprintSha1: string;
  /** Hex SHA-256 (MSAL's `thumbprintSha256`, JWT header x5t#S256 as base64url). */
  readonly thumbprintSha256: string;
}

const FILES = {
  caCert: 'ca.pem',
  caKey: 'ca.key.pem',
  serverCert: 'server.pem',
  serverKey: 'server.key.pem',
  client: 'client.pem',
} as const;

/** A leaf certificate this close to its end is made again at start. */
const RENEW_BEFORE_MS = 30 * 24 * 3600_000;
const DAY_MS = 24 * 3600_000;

const rsaKeyPair = (): Promise<{ publicKey: string; privateKey: string }> =>
  new Promise((resolve, reject) =>
    generateKeyPair(
      'rsa',
      {
        modulusLength: 2048,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      },
      (error, publicKey, privateKey) => (error ? reject(error) : resolve({ publicKey, privateKey })),
    ),
  );

interface Issued {
  readonly certPem: string;
  readonly keyPem: string;
}

async function issue(options: {
  commonName: string;
  days: number;
  ca?: Issued;
  extensions: object[];
}): Promise<Issued> {
  const keys = await rsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKey);
  // A positive 16-byte serial (the top bit clear), as RFC 5280 asks.
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  const now = Date.now();
  cert.validity.notBefore = new Date(now - DAY_MS);
  cert.validity.notAfter = new Date(now + options.days * DAY_MS);
  const subject = [
    { name: 'commonName', value: options.commonName },
    { name: 'organizationName', value: 'DMF Workbench F&O emulator' },
  ];
  cert.setSubject(subject);
  const issuer = options.ca ? forge.pki.certificateFromPem(options.ca.certPem) : null;
  cert.setIssuer(issuer ? issuer.subject.attributes : subject);
  cert.setExtensions([
    ...options.extensions,
    { name: 'subjectKeyIdentifier' },
    ...(issuer
      ? [{ name: 'authorityKeyIdentifier', keyIdentifier: issuer.generateSubjectKeyIdentifier().getBytes() }]
      : []),
  ]);
  const signer = forge.pki.privateKeyFromPem(options.ca?.keyPem ?? keys.privateKey);
  cert.sign(signer as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privateKey };
}

const issueCa = (): Promise<Issued> =>
  issue({
    commonName: 'DMF Workbench F&O emulator CA',
    days: 3650,
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });

const issueServer = (ca: Issued): Promise<Issued> =>
  issue({
    commonName: '127.0.0.1',
    days: 397,
    ca,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });

const issueClient = (ca: Issued): Promise<Issued> =>
  issue({
    commonName: 'DMF Workbench emulator app',
    days: 3650,
    ca,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', clientAuth: true },
    ],
  });

export function registeredCertificate(certPem: string, privateKeyPem: string): RegisteredCertificate {
  const der = new X509Certificate(certPem).raw;
  return {
    certPem,
    privateKeyPem,
    thumbprintSha1: createHash('sha1').update(der).digest('hex').toUpperCase(),
    thumbprintSha256: createHash('sha256').update(der).digest('hex').toUpperCase(),
  };
}

async function readIssued(dir: string, cert: string, key: string): Promise<Issued | null> {
  try {
    const certPem = await readFile(join(dir, cert), 'utf8');
    const keyPem = await readFile(join(dir, key), 'utf8');
    const x509 = new X509Certificate(certPem);
    if (Date.parse(x509.validTo) - Date.now() < RENEW_BEFORE_MS) return null;
    return { certPem, keyPem };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(
      `The emulator's certificates in ${dir} cannot be read (${(error as Error).message}). Delete the folder to make new ones.`,
      { cause: error },
    );
  }
}

const splitPem = (pem: string): { cert: string; key: string } => ({
  cert: /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\s*/.exec(pem)?.[0] ?? '',
  key: /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----\s*/.exec(pem)?.[0] ?? '',
});

/** The certificates in `dir`: read when present and valid, else made (and written) now. */
export async function loadOrCreateTls(dir: string): Promise<EmulatorTls> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const secret = { mode: 0o600 } as const;
  let ca = await readIssued(dir, FILES.caCert, FILES.caKey);
  const freshCa = ca === null;
  if (!ca) {
    ca = await issueCa();
    await writeFile(join(dir, FILES.caKey), ca.keyPem, secret);
    await writeFile(join(dir, FILES.caCert), ca.certPem);
  }
  let server = freshCa ? null : await readIssued(dir, FILES.serverCert, FILES.serverKey);
  if (!server) {
    server = await issueServer(ca);
    await writeFile(join(dir, FILES.serverKey), server.keyPem, secret);
    await writeFile(join(dir, FILES.serverCert), server.certPem);
  }
  let client: Issued | null = null;
  if (!freshCa) {
    const pem = await readFile(join(dir, FILES.client), 'utf8').catch(() => '');
    const { cert, key } = splitPem(pem);
    if (cert && key) client = { certPem: cert, keyPem: key };
  }
  if (!client) {
    client = await issueClient(ca);
    await writeFile(join(dir, FILES.client), client.keyPem + client.certPem, secret);
  }
  return {
    caFile: join(dir, FILES.caCert),
    caPem: ca.certPem,
    serverKeyPem: server.keyPem,
    serverCertPem: server.certPem + ca.certPem,
    clientCertificateFile: join(dir, FILES.client),
    clientCertificate: registeredCertificate(client.certPem, client.keyPem),
  };
}

let perProcess: Promise<EmulatorTls> | null = null;

/**
 * Certificates for emulators without a data dir: made once per process (three RSA keys cost about
 * a second) in a temp folder that goes when the process exits.
 */
export function processTls(): Promise<EmulatorTls> {
  if (!perProcess) {
    perProcess = mkdtemp(join(tmpdir(), 'dmfw-emulator-tls-')).then((dir) => {
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
      return loadOrCreateTls(dir);
    });
    perProcess.catch(() => (perProcess = null));
  }
  return perProcess;
}
