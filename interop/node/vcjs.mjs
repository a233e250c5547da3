#!/usr/bin/env node
// staffvc interop harness around Digital Bazaar's vc.js.
// Reads ONE JSON request on stdin, writes ONE JSON result on stdout.
// Fully offline: the documentLoader serves only the contexts listed in
// $STAFFVC_CONTEXTS/MANIFEST.json (+ its aliases) and did:key documents.
// See README.md for the protocol.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {performance} from 'node:perf_hooks';

import * as vc from '@digitalbazaar/vc';
import jsigs from 'jsonld-signatures';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as eddsaJcs2022 from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import {cryptosuite as ecdsaRdfc2019} from
  '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import * as ecdsaJcs2019 from '@digitalbazaar/ecdsa-jcs-2019-cryptosuite';
import * as ecdsaSd2023 from '@digitalbazaar/ecdsa-sd-2023-cryptosuite';
import {Ed25519Signature2020} from '@digitalbazaar/ed25519-signature-2020';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import {driver as didKeyDriver} from '@digitalbazaar/did-method-key';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const {AssertionProofPurpose} = jsigs.purposes;

// ---------------------------------------------------------------- loader
export function makeDocumentLoader({
  contextsDir = process.env.STAFFVC_CONTEXTS ||
    path.resolve(HERE, '..', '..', 'contexts')
} = {}) {
  const manifest = JSON.parse(
    readFileSync(path.join(contextsDir, 'MANIFEST.json'), 'utf8'));
  const raw = new Map();
  for(const [url, entry] of Object.entries(manifest.contexts || {})) {
    raw.set(url, readFileSync(path.join(contextsDir, entry.file), 'utf8'));
  }
  for(const [alias, target] of Object.entries(manifest.aliases || {})) {
    if(raw.has(target) && !raw.has(alias)) {
      raw.set(alias, raw.get(target));
    }
  }
  const didKey = didKeyDriver();
  didKey.use({multibaseMultikeyHeader: 'z6Mk',
    fromMultibase: Ed25519Multikey.from});
  didKey.use({multibaseMultikeyHeader: 'zDna',
    fromMultibase: EcdsaMultikey.from}); // P-256
  didKey.use({multibaseMultikeyHeader: 'z82L',
    fromMultibase: EcdsaMultikey.from}); // P-384

  return async function documentLoader(url) {
    if(raw.has(url)) {
      // fresh parse per load so no caller can mutate a shared copy
      return {contextUrl: null, documentUrl: url,
        document: JSON.parse(raw.get(url))};
    }
    if(typeof url === 'string' && url.startsWith('did:key:')) {
      const document = await didKey.get({url});
      return {contextUrl: null, documentUrl: url, document};
    }
    throw new Error(`documentLoader: refusing to load "${url}" (offline; ` +
      'only bundled contexts and did:key are served)');
  };
}

// ---------------------------------------------------------------- keys
async function importKey(key = {}, suiteName) {
  const publicKeyMultibase = key.publicKeyMultibase;
  const secretKeyMultibase = key.secretKeyMultibase || key.privateKeyMultibase;
  if(!publicKeyMultibase) {
    throw new Error('key.publicKeyMultibase is required');
  }
  const controller = key.controller || `did:key:${publicKeyMultibase}`;
  const id = key.id || `${controller}#${publicKeyMultibase}`;
  const mk = {'@context': 'https://w3id.org/security/multikey/v1',
    type: 'Multikey', id, controller, publicKeyMultibase, secretKeyMultibase};
  const isEd = suiteName.startsWith('eddsa') ||
    suiteName === 'Ed25519Signature2020';
  return isEd ? Ed25519Multikey.from(mk) : EcdsaMultikey.from(mk);
}

// ---------------------------------------------------------------- suites
export const SUITES = ['eddsa-rdfc-2022', 'eddsa-jcs-2022', 'ecdsa-rdfc-2019',
  'ecdsa-jcs-2019', 'Ed25519Signature2020', 'ecdsa-sd-2023'];

function pointerList(value, name) {
  if(value === undefined) {
    return [];
  }
  if(!Array.isArray(value) || !value.every(p => typeof p === 'string')) {
    throw new Error(`"${name}" must be an array of JSON Pointer strings`);
  }
  return [...value];
}

function signSuite(suiteName, keyPair, date, req = {}) {
  const signer = keyPair.signer();
  switch(suiteName) {
    case 'eddsa-rdfc-2022':
      return new DataIntegrityProof({signer, date, cryptosuite: eddsaRdfc2022});
    case 'ecdsa-rdfc-2019':
      return new DataIntegrityProof({signer, date, cryptosuite: ecdsaRdfc2019});
    case 'eddsa-jcs-2022':
      return new DataIntegrityProof({signer, date,
        cryptosuite: eddsaJcs2022.createSignCryptosuite()});
    case 'ecdsa-jcs-2019':
      return new DataIntegrityProof({signer, date,
        cryptosuite: ecdsaJcs2019.createSignCryptosuite()});
    case 'Ed25519Signature2020':
      return new Ed25519Signature2020({key: keyPair, date});
    case 'ecdsa-sd-2023':
      // a base proof; the holder derives the proof a verifier sees (op derive)
      return new DataIntegrityProof({signer, date,
        cryptosuite: ecdsaSd2023.createSignCryptosuite({mandatoryPointers:
          pointerList(req.mandatoryPointers, 'mandatoryPointers')})});
    default:
      throw new Error(`unsupported suite "${suiteName}" (supported: ` +
        `${SUITES.join(', ')})`);
  }
}

function verifySuiteFor(proof) {
  const p = Array.isArray(proof) ? proof[0] : proof;
  if(!p || typeof p !== 'object') {
    throw new Error('credential has no proof');
  }
  if(p.type === 'Ed25519Signature2020') {
    return new Ed25519Signature2020();
  }
  if(p.type === 'DataIntegrityProof') {
    switch(p.cryptosuite) {
      case 'eddsa-rdfc-2022':
        return new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
      case 'ecdsa-rdfc-2019':
        return new DataIntegrityProof({cryptosuite: ecdsaRdfc2019});
      case 'eddsa-jcs-2022':
        return new DataIntegrityProof({
          cryptosuite: eddsaJcs2022.createVerifyCryptosuite()});
      case 'ecdsa-jcs-2019':
        return new DataIntegrityProof({
          cryptosuite: ecdsaJcs2019.createVerifyCryptosuite()});
      case 'ecdsa-sd-2023':
        // verifies derived (disclosure) proofs only, as the spec defines
        return new DataIntegrityProof({
          cryptosuite: ecdsaSd2023.createVerifyCryptosuite()});
      default:
        throw new Error(`unsupported cryptosuite "${p.cryptosuite}"`);
    }
  }
  throw new Error(`unsupported proof type "${p.type}"`);
}

// ---------------------------------------------------------------- ops
const clone = x => structuredClone(x);

export async function issue(req, documentLoader) {
  if(!req.credential || typeof req.credential !== 'object') {
    throw new Error('"credential" object is required');
  }
  const suiteName = req.suite;
  if(!SUITES.includes(suiteName)) {
    throw new Error(`unsupported suite "${suiteName}" (supported: ` +
      `${SUITES.join(', ')})`);
  }
  if(req.mandatoryPointers !== undefined && suiteName !== 'ecdsa-sd-2023') {
    throw new Error('"mandatoryPointers" only applies to ecdsa-sd-2023');
  }
  const keyPair = await importKey(req.key, String(suiteName));
  const suite = signSuite(suiteName, keyPair, req.created, req);
  const document = await vc.issue({credential: clone(req.credential), suite,
    documentLoader, ...(req.now ? {now: req.now} : {})});
  return {ok: true, document};
}

// Holder side of ecdsa-sd-2023: from a credential with a base proof, the
// credential revealing the base proof's mandatory pointers plus
// req.selectivePointers, with a derived proof (vc.derive).
export async function derive(req, documentLoader) {
  if(!req.credential || typeof req.credential !== 'object') {
    throw new Error('"credential" object is required');
  }
  const proofs = [req.credential.proof].flat().filter(Boolean);
  if(!proofs.some(p => p?.cryptosuite === 'ecdsa-sd-2023')) {
    throw new Error('derive needs a credential with an ecdsa-sd-2023 ' +
      'base proof');
  }
  const cryptosuite = ecdsaSd2023.createDiscloseCryptosuite({
    selectivePointers: pointerList(req.selectivePointers, 'selectivePointers'),
    ...(req.proofId ? {proofId: req.proofId} : {})});
  const document = await vc.derive({
    verifiableCredential: clone(req.credential),
    suite: new DataIntegrityProof({cryptosuite}), documentLoader});
  return {ok: true, document};
}

function collectErrors(result) {
  const out = [];
  const add = e => {
    if(!e) {
      return;
    }
    if(Array.isArray(e)) {
      e.forEach(add);
      return;
    }
    if(Array.isArray(e.errors) && e.errors.length) {
      e.errors.forEach(add);
      return;
    }
    let msg = String(e.message || e);
    // jsonld.js wraps loader errors; surface the underlying cause
    const cause = e.details?.cause || e.cause;
    if(cause?.message && !msg.includes(cause.message)) {
      msg += ` (cause: ${cause.message})`;
    }
    out.push(msg);
  };
  add(result?.error);
  for(const r of result?.results || []) {
    if(!r.verified) {
      add(r.error);
    }
  }
  return [...new Set(out)];
}

export async function verify(req, documentLoader) {
  const credential = req.credential;
  if(!credential || typeof credential !== 'object') {
    throw new Error('"credential" object is required');
  }
  const suite = verifySuiteFor(credential.proof);
  const opts = {credential: clone(credential), suite, documentLoader};
  if(req.now) {
    opts.now = req.now;
  }
  // issuerBinding=false: skip vc.js's "issuer must equal the verification
  // method controller" rule (still requires an assertionMethod proof).
  if(req.issuerBinding === false) {
    opts.purpose = new AssertionProofPurpose();
  }
  const result = await vc.verifyCredential(opts);
  const verified = result.verified === true;
  return {ok: true, verified, errors: verified ? [] : collectErrors(result)};
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export async function bench(req, documentLoader) {
  const iterations = Math.max(1, Number(req.iterations) || 50);
  const runs = Math.max(1, Number(req.runs) || 5);
  const warmup = Math.max(0, req.warmup ?? Math.min(iterations, 20));
  const issueReq = {...req, op: 'issue'};
  // ecdsa-sd-2023: base proofs are for holders only, so what a verifier times is the
  // verification of a derived credential (derived once, with req.selectivePointers).
  const sd = req.suite === 'ecdsa-sd-2023';
  const verifiable = async signed => sd ?
    (await derive({credential: signed,
      selectivePointers: req.selectivePointers || []}, documentLoader)).document :
    signed;
  // warm-up (JIT, context parsing caches)
  let signed = (await issue(issueReq, documentLoader)).document;
  for(let i = 0; i < warmup; ++i) {
    signed = (await issue(issueReq, documentLoader)).document;
    await verify({credential: await verifiable(signed), issuerBinding: false,
      now: req.now}, documentLoader);
  }
  const vReq = {credential: await verifiable(signed), issuerBinding: false,
    now: req.now};
  const check = await verify(vReq, documentLoader);
  if(!check.verified) {
    throw new Error('bench: freshly issued credential did not verify: ' +
      check.errors.join('; '));
  }
  const issueRuns = [];
  const verifyRuns = [];
  for(let r = 0; r < runs; ++r) {
    let t0 = performance.now();
    for(let i = 0; i < iterations; ++i) {
      await issue(issueReq, documentLoader);
    }
    issueRuns.push((performance.now() - t0) / iterations);
    t0 = performance.now();
    for(let i = 0; i < iterations; ++i) {
      await verify(vReq, documentLoader);
    }
    verifyRuns.push((performance.now() - t0) / iterations);
  }
  const r3 = x => Math.round(x * 1000) / 1000;
  return {ok: true, suite: req.suite, iterations, runs, warmup,
    issue_ms_per_op: r3(median(issueRuns)),
    verify_ms_per_op: r3(median(verifyRuns)),
    issue_runs_ms_per_op: issueRuns.map(r3),
    verify_runs_ms_per_op: verifyRuns.map(r3),
    node: process.version};
}

// Runs each of req.requests (issue/derive/verify) in order, sharing one
// documentLoader. One failing item does not stop the others: its slot holds
// {ok:false,error}, exactly what a single request would have printed.
export async function batch(req, documentLoader) {
  if(!Array.isArray(req.requests)) {
    throw new Error('"requests" array is required');
  }
  const results = [];
  for(const item of req.requests) {
    try {
      if(!item || typeof item !== 'object' || Array.isArray(item)) {
        throw new Error('request must be a JSON object');
      }
      switch(item.op) {
        case 'issue':
          results.push(await issue(item, documentLoader));
          break;
        case 'derive':
          results.push(await derive(item, documentLoader));
          break;
        case 'verify':
          results.push(await verify(item, documentLoader));
          break;
        default:
          throw new Error(
            `unknown op "${item.op}" in batch (issue|derive|verify)`);
      }
    } catch(e) {
      results.push({ok: false, error: String(e?.message || e)});
    }
  }
  return {ok: true, results};
}

export async function handle(req) {
  if(!req || typeof req !== 'object' || Array.isArray(req)) {
    throw new Error('request must be a JSON object');
  }
  const documentLoader = makeDocumentLoader();
  switch(req.op) {
    case 'issue': return issue(req, documentLoader);
    case 'derive': return derive(req, documentLoader);
    case 'verify': return verify(req, documentLoader);
    case 'bench': return bench(req, documentLoader);
    case 'batch': return batch(req, documentLoader);
    default:
      throw new Error(`unknown op "${req.op}" (issue|derive|verify|bench|batch)`);
  }
}

// ---------------------------------------------------------------- CLI
function finish(obj, code) {
  process.stdout.write(JSON.stringify(obj) + '\n', () => process.exit(code));
}

async function main() {
  const timeoutMs = Number(process.env.STAFFVC_NODE_TIMEOUT_MS) || 300000;
  const timer = setTimeout(() => finish(
    {ok: false, error: `timeout after ${timeoutMs} ms`}, 1), timeoutMs);
  timer.unref();
  try {
    const chunks = [];
    for await (const c of process.stdin) {
      chunks.push(c);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    if(!text.trim()) {
      throw new Error('empty request on stdin');
    }
    let req;
    try {
      req = JSON.parse(text);
    } catch(e) {
      throw new Error(`invalid JSON request: ${e.message}`);
    }
    finish(await handle(req), 0);
  } catch(e) {
    finish({ok: false, error: String(e?.message || e)}, 1);
  }
}

if(process.argv[1] &&
  path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main();
}
