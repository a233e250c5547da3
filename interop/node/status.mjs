#!/usr/bin/env node
// staffvc interop harness around Digital Bazaar's
// @digitalbazaar/vc-bitstring-status-list (Bitstring Status List v1.0).
// Reads ONE JSON request on stdin, writes ONE JSON result on stdout.
// Fully offline: the documentLoader serves the bundled contexts and did:key
// documents (vcjs.mjs's makeDocumentLoader) plus the status list credentials
// given in the request, nothing else.
//
// Requests:
//   {"op":"check","credential":{...},"lists":{"<url>":{...list VC...}},
//    "verifyMatchingIssuers":true}
//     -> {"ok":true,"verified":bool,"results":[{"status":bool,"statusPurpose",
//        "statusListIndex"}],"errors":[...]}
//     Runs the library's checkStatus, which also verifies each list
//     credential with vc.js (eddsa-rdfc-2022, ecdsa-rdfc-2019,
//     Ed25519Signature2020 suites).
//   {"op":"create","id":"<url>","length":131072,"statusPurpose":"revocation",
//    "set":[1,2]}
//     -> {"ok":true,"credential":{...unsigned list VC...}} via createList and
//        createCredential, with the given indexes set.
//   {"op":"decode","encodedList":"u...","indexes":[0,1]}
//     -> {"ok":true,"length":n,"values":[bool,...]}
//   {"op":"batch","requests":[...]} -> {"ok":true,"results":[...]}
import path from 'node:path';
import {fileURLToPath} from 'node:url';

import {
  checkStatus, createCredential, createList, decodeList
} from '@digitalbazaar/vc-bitstring-status-list';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {cryptosuite as ecdsaRdfc2019} from
  '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import {Ed25519Signature2020} from '@digitalbazaar/ed25519-signature-2020';

import {makeDocumentLoader} from './vcjs.mjs';

const clone = x => structuredClone(x);

function loaderWithLists(lists = {}) {
  if(!lists || typeof lists !== 'object' || Array.isArray(lists)) {
    throw new Error('"lists" must map URLs to status list credentials');
  }
  const base = makeDocumentLoader();
  return async function documentLoader(url) {
    if(Object.prototype.hasOwnProperty.call(lists, url)) {
      return {contextUrl: null, documentUrl: url, document: clone(lists[url])};
    }
    return base(url);
  };
}

function errorsOf(result) {
  const out = [];
  const add = e => {
    if(!e) {
      return;
    }
    let msg = String(e.message || e);
    const cause = e.cause;
    if(cause?.message && !msg.includes(cause.message)) {
      msg += ` (cause: ${cause.message})`;
    }
    out.push(msg);
  };
  add(result?.error);
  for(const r of result?.results || []) {
    add(r?.error);
  }
  return [...new Set(out)];
}

export async function check(req) {
  if(!req.credential || typeof req.credential !== 'object') {
    throw new Error('"credential" object is required');
  }
  const documentLoader = loaderWithLists(req.lists);
  const suite = [
    new DataIntegrityProof({cryptosuite: eddsaRdfc2022}),
    new DataIntegrityProof({cryptosuite: ecdsaRdfc2019}),
    new Ed25519Signature2020()
  ];
  const result = await checkStatus({
    credential: clone(req.credential), documentLoader, suite,
    verifyBitstringStatusListCredential: true,
    verifyMatchingIssuers: req.verifyMatchingIssuers !== false
  });
  const results = (result.results || []).map(r => ({
    status: r.status,
    statusPurpose: r.credentialStatus?.statusPurpose,
    statusListIndex: r.credentialStatus?.statusListIndex
  }));
  return {ok: true, verified: result.verified === true, results,
    errors: errorsOf(result)};
}

export async function create(req) {
  const length = Number(req.length) || 131072;
  const list = await createList({length});
  for(const index of req.set || []) {
    list.setStatus(index, true);
  }
  const credential = await createCredential({
    id: req.id, list, statusPurpose: req.statusPurpose || 'revocation'
  });
  return {ok: true, credential};
}

export async function decode(req) {
  const list = await decodeList({encodedList: req.encodedList});
  const values = (req.indexes || []).map(i => list.getStatus(i));
  return {ok: true, length: list.length, values};
}

export async function handle(req) {
  if(!req || typeof req !== 'object' || Array.isArray(req)) {
    throw new Error('request must be a JSON object');
  }
  switch(req.op) {
    case 'check': return check(req);
    case 'create': return create(req);
    case 'decode': return decode(req);
    case 'batch': {
      if(!Array.isArray(req.requests)) {
        throw new Error('"requests" array is required');
      }
      const results = [];
      for(const item of req.requests) {
        try {
          if(item?.op === 'batch') {
            throw new Error('batches do not nest');
          }
          results.push(await handle(item));
        } catch(e) {
          results.push({ok: false, error: String(e?.message || e)});
        }
      }
      return {ok: true, results};
    }
    default:
      throw new Error(`unknown op "${req.op}" (check|create|decode|batch)`);
  }
}

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
