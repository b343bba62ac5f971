'use strict';
// Golden vectors for io.jipc.internal.codec.JsonStringify (run: node stringify-golden.js > stringify-golden.jsonl).
// Every output line is JSON.stringify([inputText, JSON.stringify(JSON.parse(inputText))]).
// Fully deterministic: all "random" cases come from a fixed 64-bit LCG. Uses no modules.

const MASK64 = (1n << 64n) - 1n;
let state = 0x2545f4914f6cdd1dn;
function next64() {
  state = (state * 6364136223846793005n + 1442695040888963407n) & MASK64;
  return state;
}
function rnd(n) { // uniform-ish integer in [0, n)
  return Number((next64() >> 20n) % BigInt(n));
}
function pick(arr) { return arr[rnd(arr.length)]; }

const view = new DataView(new ArrayBuffer(8));
function fromBits(bits) { view.setBigUint64(0, bits & MASK64); return view.getFloat64(0); }
function toBits(d) { view.setFloat64(0, d); return view.getBigUint64(0); }

const cases = [];
const add = (text) => cases.push(text);

// Several textual forms of a finite double, all valid JSON number text.
function numberTexts(d) {
  return [Object.is(d, -0) ? '-0' : String(d), d.toPrecision(17), d.toExponential(25)];
}

// ---- fixed number cases
[
  '0', '-0', '0.0', '-0.0', '0e0', '-0e-5', '1', '-1', '1.0', '100', '100.0', '1E2', '1e+2', '-1.5',
  '1e21', '1e+21', '1000000000000000000000', '999999999999999999999', '1e20', '100000000000000000000',
  '1e22', '1e23', '10000000000000000000000', '100000000000000000000000', '1e-6', '0.000001', '1e-7',
  '0.0000001', '1.5e-7', '0.00000123', '0.000001234', '1.234e-6', '0.1', '0.2', '0.3',
  '0.30000000000000004', '0.3333333333333333', '0.33333333333333333333333333', '0.6666666666666666',
  '4.35', '123.456', '1.1', '2.675', '9007199254740991', '9007199254740992', '9007199254740993',
  '9007199254740994', '9007199254740995', '-9007199254740993', '18014398509481985',
  '9223372036854775807', '-9223372036854775808', '9223372036854775808', '18446744073709551615',
  '18446744073709551616', '123456789012345680000', '123456789012345678901', '123456789012345678901234567890',
  '2147483647', '2147483648', '4294967295', '4294967296', '1e300', '-1e300', '1e308', '1e309', '1e400',
  '-1e400', '1e-400', '-1e-400', '5e-324', '-5e-324', '4.9406564584124654e-324', '2e-323', '1e-323',
  '2.4703282292062327e-324', '2.4703282292062328e-324', '2.5e-324', '7.4e-324',
  '2.2250738585072014e-308', '2.2250738585072011e-308', '2.225073858507201e-308',
  '1.7976931348623157e308', '1.7976931348623157e+308', '1.7976931348623158e308', '1.7976931348623159e308',
  '179769313486231570000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000',
  '1' + '0'.repeat(308), '1' + '0'.repeat(309), '0.' + '0'.repeat(330) + '1',
  '1.00000000000000011102230246251565404236316680908203125', '1.00000000000000011102230246251565404236316680908203124',
  '1.00000000000000011102230246251565404236316680908203126', '9.999999999999999e22', '8.41e21',
  '5e-7', '5e-6', '1.0000000000000002', '0.9999999999999999', '2.9802322387695312e-8', '1e-5',
  '1.2345678901234567e-7', '123e-20', '1e-10', '1.7e+308', '3.14159265358979323846264338327950288',
].forEach(add);

// ---- powers of two and their neighbours (asymmetric rounding intervals)
for (let e = -1074; e <= 1023; e++) {
  const d = Math.pow(2, e);
  add(numberTexts(d)[e & 1 ? 0 : 1]);
  if (e % 7 === 0) {
    add(numberTexts(fromBits(toBits(d) + 1n))[0]);
    add(numberTexts(fromBits(toBits(d) - 1n))[2]);
  }
}
// ---- powers of ten and their neighbours
for (let k = -323; k <= 308; k++) {
  const d = Number('1e' + k);
  add('1e' + k);
  add(numberTexts(fromBits(toBits(d) + 1n))[1]);
  add(numberTexts(fromBits(toBits(d) - 1n))[1]);
}
// ---- random bit patterns (finite only), in several textual forms
for (let n = 0; n < 3000; ) {
  const d = fromBits(next64());
  if (!Number.isFinite(d)) continue;
  add(numberTexts(d)[n % 3]);
  n++;
}
// ---- random decimal strings (may underflow to 0 or overflow to Infinity -> null)
const digitsOf = (len) => { let s = ''; for (let i = 0; i < len; i++) s += rnd(10); return s; };
for (let n = 0; n < 3000; n++) {
  let s = rnd(4) === 0 ? '-' : '';
  const intLen = rnd(22);
  s += intLen === 0 ? '0' : String(1 + rnd(9)) + digitsOf(intLen - 1);
  if (rnd(2)) s += '.' + digitsOf(1 + rnd(22));
  if (rnd(2)) s += pick(['e', 'E']) + pick(['', '+', '-']) + rnd(n % 10 === 0 ? 340 : 30);
  add(s);
}
// ---- "everyday" decimals: few digits, e.g. prices and measurements
for (let n = 0; n < 1000; n++) {
  const scale = Math.pow(10, rnd(7));
  add(String(Math.round((rnd(2000000) - 1000000) / (1 + rnd(1000)) * scale) / scale));
}

// ---- strings: every code unit of the C0 block, DEL, specials
const hex4 = (c, upper) => { const h = c.toString(16).padStart(4, '0'); return upper ? h.toUpperCase() : h; };
for (let c = 0; c < 0x80; c++) {
  add('"\\u' + hex4(c, c & 1) + '"');
  add(JSON.stringify('a' + String.fromCharCode(c) + 'b'));
}
[
  '"\\b\\f\\n\\r\\t\\"\\\\\\/"', '"/"', '"\\u007f"', '"\\u0080"', '"\\u009f"', '"\\u00a0"', '"\\u00ff"',
  '"\\u0100"', '"\\u07ff"', '"\\u0800"', '"\\u0fff"', '"\\ud7ff"', '"\\ue000"', '"\\ufeff"', '"\\ufffe"',
  '"\\uffff"', '"\\u2028"', '"\\u2029"', '"a\\u2028b\\u2029c"', '"\u2028\u2029"', '"é😀"', '"😀"',
  '"\\ud800"', '"\\udbff"', '"\\udc00"', '"\\udfff"', '"a\\ud800b"', '"\\ud800\\ud800"', '"\\udc00\\ud800"',
  '"\\ud800\\udc00"', '"\\udbff\\udfff"', '"\\ud83d\\ude00"', '"x\\ud83d"', '"\\ude00x"',
  '"\\ud83d\\ude00\\ude00"', '"\\ud83d\\ud83d\\ude00"', '"\\uD83D\\uDE00"', '"\\ud800\\u0000\\udc00"',
  '""', '"\\u0000"', '"日本語テキスト"',
].forEach(add);

// ---- random strings over tricky code-unit classes
function randomString(maxLen) {
  let s = '';
  const len = rnd(maxLen + 1);
  for (let i = 0; i < len; i++) {
    switch (rnd(7)) {
      case 0: s += String.fromCharCode(0x20 + rnd(0x5f)); break;
      case 1: s += String.fromCharCode(rnd(0x20)); break;
      case 2: s += String.fromCharCode(0x7f + rnd(0x781)); break;
      case 3: s += String.fromCharCode(0x800 + rnd(0xd000)); break;
      case 4: s += String.fromCharCode(0xd800 + rnd(0x800)); break;
      case 5: s += String.fromCodePoint(0x10000 + rnd(0x100000)); break;
      default: s += pick(['"', '\\', '/', '\u2028', '\u2029', '\ufffd', 'a']);
    }
  }
  return s;
}
function escapeAll(s) { // JSON text with every non-printable-ASCII code unit as \uXXXX
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c) out += s[i];
    else out += '\\u' + hex4(c, rnd(2));
  }
  return out + '"';
}
for (let n = 0; n < 600; n++) {
  const s = randomString(24);
  add(n & 1 ? escapeAll(s) : JSON.stringify(s));
}

// ---- objects and arrays
[
  '{"2":1,"b":2,"1":3,"01":4,"-1":5,"4294967295":6,"4294967294":7}',
  '{"b":1,"a":2}', '{}', '[]', '[[]]', '[{}]', '{"a":{}}', '{"":1}', '{"a":1,"a":2}', '{"a":1,"b":2,"a":3}',
  '{"1":1,"1":2,"0":3}', '{"__proto__":1}', '{"__proto__":{"x":1},"y":2}', '{"constructor":1,"toString":2}',
  '{"x":1,"0":2,"00":3,"1.0":4,"1e3":5," 1":6,"+1":7,"1 ":8,"\u0663":9,"10":10,"9":11,"-0":12,"0x1":13}',
  '{"4294967296":1,"9007199254740993":2,"4294967294":3,"99999999999":4,"3":5}',
  '{"\\ud800":1,"a\\u0000":2,"\\u2028":3,"😀":4}',
  '[1,"a",{"z":[true,false,null],"y":{"3":[],"x":{}}},-0,1e21,1e-7,"\\u001f"]',
  ' { "a" : [ 1 , 2 ] , "b" : { } } ', '\t[\n1\r,\n2 ]\n', 'null', 'true', 'false', '"x"', '[null,null]',
  '{"a":null,"b":[null]}', '{"type":"message","data":{"id":"hello","n":1.5,"list":[1,2,3]}}',
  '[' + '['.repeat(199) + ']'.repeat(199) + ']', '{"a":'.repeat(200) + '1' + '}'.repeat(200),
].forEach(add);

// ---- random nested structures; objects are emitted in generated order (not JS order)
const KEYS = ['0', '1', '2', '10', '007', '-1', '4294967294', '4294967295', 'a', 'b', 'type', 'data', '',
  '1.5', 'Z', '\u00e9', '\ud83d\ude00', '42', '3', '99', '1e2'];
function randomValueText(depth) {
  const r = rnd(depth > 3 ? 5 : 8);
  switch (r) {
    case 0: return 'null';
    case 1: return pick(['true', 'false']);
    case 2: {
      const d = fromBits(next64() >> BigInt(rnd(12)));
      return numberTexts(Number.isFinite(d) ? d : 0)[rnd(3)];
    }
    case 3: return String(rnd(100000) - 50000);
    case 4: return JSON.stringify(randomString(8));
    case 5: case 6: {
      const n = rnd(6); const parts = [];
      for (let i = 0; i < n; i++) parts.push(JSON.stringify(pick(KEYS)) + ':' + randomValueText(depth + 1));
      return '{' + parts.join(',') + '}';
    }
    default: {
      const n = rnd(6); const parts = [];
      for (let i = 0; i < n; i++) parts.push(randomValueText(depth + 1));
      return '[' + parts.join(',') + ']';
    }
  }
}
for (let n = 0; n < 600; n++) add(randomValueText(0));

let output = '';
for (const text of cases) output += JSON.stringify([text, JSON.stringify(JSON.parse(text))]) + '\n';
process.stdout.write(output);
