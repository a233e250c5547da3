#!/usr/bin/env node
// staffvc interop harness around panva's `jose` (compact JWS / JWT).
// Reads ONE JSON request on stdin, writes ONE JSON result on stdout. Offline.
//
// Requests (all keys are JWKs; `alg` is a JOSE algorithm name):
//   {"op":"sign", "jwk":{private}, "alg":"EdDSA", "header":{...}, "payload":"text"}
//       -> {"ok":true, "token":"..."}          (header gets "alg"; payload is UTF-8 text)
//   {"op":"verify", "jwk":{public}, "alg":"EdDSA", "token":"...",
//    "jwt":false, "currentDate":"2026-01-01T00:00:00Z"}
//       -> {"ok":true, "header":{...}, "payload":"text"} or {"ok":false, "error":"<code>"}
//       with "jwt":true the token is checked as a JWT (exp/nbf at currentDate).
//   {"op":"bench", "what":"sign"|"verify", ...the sign/verify fields..., "iterations":N,
//    "runs":R}  -> {"ok":true, "msPerOp": median over R runs of N ops, after a warm-up}
//   {"op":"batch", "requests":[...]}  -> {"ok":true, "results":[...]}
//
// jose 6 is WebCrypto-only and has no ES256K (secp256k1); for that one algorithm the
// harness signs and verifies with node:crypto (OpenSSL) and jose's base64url, which is
// still an implementation independent of staffvc's.
import {createPrivateKey, createPublicKey, sign as nodeSign, verify as nodeVerify}
  from 'node:crypto';
import {performance} from 'node:perf_hooks';
import * as jose from 'jose';

const enc = new TextEncoder();
const dec = new TextDecoder();

async function keyFor(jwk, alg) {
  if(alg === 'ES256K') {
    return jwk.d ? createPrivateKey({key: jwk, format: 'jwk'}) :
      createPublicKey({key: jwk, format: 'jwk'});
  }
  return jose.importJWK(jwk, alg);
}

async function sign({key, alg, header, payload}) {
  const protectedHeader = {alg, ...(header || {})};
  if(alg === 'ES256K') {
    const input = jose.base64url.encode(JSON.stringify(protectedHeader)) + '.' +
      jose.base64url.encode(enc.encode(payload));
    const signature = nodeSign('sha256', Buffer.from(input),
      {key, dsaEncoding: 'ieee-p1363'});
    return input + '.' + jose.base64url.encode(signature);
  }
  return new jose.CompactSign(enc.encode(payload))
    .setProtectedHeader(protectedHeader).sign(key);
}

function es256kVerify(token, key) {
  const parts = token.split('.');
  if(parts.length !== 3) {
    throw Object.assign(new Error('not compact'), {code: 'ERR_JWS_INVALID'});
  }
  const header = JSON.parse(dec.decode(jose.base64url.decode(parts[0])));
  if(header.alg !== 'ES256K') {
    throw Object.assign(new Error('alg'), {code: 'ERR_JOSE_ALG_NOT_ALLOWED'});
  }
  const ok = nodeVerify('sha256', Buffer.from(parts[0] + '.' + parts[1]),
    {key, dsaEncoding: 'ieee-p1363'}, jose.base64url.decode(parts[2]));
  if(!ok) {
    throw Object.assign(new Error('signature'),
      {code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'});
  }
  return {protectedHeader: header, payload: jose.base64url.decode(parts[1])};
}

async function verify({key, alg, token, jwt, currentDate}) {
  if(alg === 'ES256K') {
    const {protectedHeader, payload} = es256kVerify(token, key);
    if(jwt) {
      const claims = JSON.parse(dec.decode(payload));
      const now = Math.floor(new Date(currentDate).getTime() / 1000);
      if(typeof claims.exp === 'number' && now >= claims.exp) {
        throw Object.assign(new Error('exp'), {code: 'ERR_JWT_EXPIRED'});
      }
      if(typeof claims.nbf === 'number' && now < claims.nbf) {
        throw Object.assign(new Error('nbf'), {code: 'ERR_JWT_CLAIM_VALIDATION_FAILED'});
      }
    }
    return {header: protectedHeader, payload: dec.decode(payload)};
  }
  if(jwt) {
    const {protectedHeader, payload} = await jose.jwtVerify(token, key, {
      algorithms: [alg],
      currentDate: currentDate ? new Date(currentDate) : undefined,
      typ: undefined
    });
    return {header: protectedHeader, payload: JSON.stringify(payload)};
  }
  const {protectedHeader, payload} = await jose.compactVerify(token, key,
    {algorithms: [alg]});
  return {header: protectedHeader, payload: dec.decode(payload)};
}

async function handle(request) {
  const {op} = request;
  try {
    if(op === 'batch') {
      const results = [];
      for(const r of request.requests) {
        results.push(await handle(r));
      }
      return {ok: true, results};
    }
    if(op === 'sign') {
      const key = await keyFor(request.jwk, request.alg);
      return {ok: true, token: await sign({...request, key})};
    }
    if(op === 'verify') {
      const key = await keyFor(request.jwk, request.alg);
      return {ok: true, ...(await verify({...request, key}))};
    }
    if(op === 'bench') {
      const key = await keyFor(request.jwk, request.alg);
      const once = request.what === 'sign' ?
        () => sign({...request, key}) : () => verify({...request, key});
      const n = request.iterations || 200;
      const runs = request.runs || 5;
      for(let i = 0; i < Math.min(n, 100); i++) {
        await once();
      }
      const times = [];
      for(let r = 0; r < runs; r++) {
        const start = performance.now();
        for(let i = 0; i < n; i++) {
          await once();
        }
        times.push((performance.now() - start) / n);
      }
      times.sort((a, b) => a - b);
      return {ok: true, msPerOp: times[Math.floor(times.length / 2)]};
    }
    return {ok: false, error: `unknown op ${JSON.stringify(op)}`};
  } catch(e) {
    return {ok: false, error: e.code || e.name || 'Error', message: String(e.message)};
  }
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  let request;
  try {
    request = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch(e) {
    process.stdout.write(JSON.stringify({ok: false, error: 'bad request JSON'}) + '\n');
    process.exitCode = 1;
    return;
  }
  const answer = await handle(request);
  process.stdout.write(JSON.stringify(answer) + '\n');
  if(!answer.ok) {
    process.exitCode = 1;
  }
}

main();
