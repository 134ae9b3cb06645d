#!/usr/bin/env bash
# bench/ratios.sh -- the issue-7 ratios, measured in one run on this machine:
#   * single-core limits: `openssl speed -evp sha512` and `-evp aes-256-cbc` (16 KiB blocks), and
#     our own primitives (Criterion: HMAC-SHA512, segment cipher, spin loop vs a bare sha2 loop);
#   * docseal end to end on 64 MiB (default profile) minus 4 KiB = per-byte cost, as a ratio to
#     the fastest single-core HMAC-SHA512 figure;
#   * docseal against ms-offcrypto-writer (encrypt) and office-crypto (decrypt), same run.
# msoffcrypto-tool is compared by bench/peers.sh (a separate process, /usr/bin/time).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
OUT="$(mktemp)"; trap 'rm -f "$OUT"' EXIT
mbps() { awk -v b="$1" -v ns="$2" 'BEGIN{printf "%.0f", b/ns*1e9/1e6}'; }

ossl_sha=$(openssl speed -evp sha512 -bytes 16384 -seconds 3 2>/dev/null | awk '/^sha512/{sub("k","",$2); printf "%.0f", $2*1000/1e6}')
ossl_aes=$(openssl speed -evp aes-256-cbc -bytes 16384 -seconds 3 2>/dev/null | awk '/^AES-256-CBC/{sub("k","",$2); printf "%.0f", $2*1000/1e6}')

cargo bench -q -p docseal-crypto --features openssl --bench primitives -- --output-format bencher 2>/dev/null | tee -a "$OUT" >/dev/null
cargo bench -q -p docseal --features openssl --bench end_to_end -- --output-format bencher 2>/dev/null | tee -a "$OUT" >/dev/null
ns() { awk -v k="$1" '$2==k {gsub(",","",$5); print $5}' "$OUT"; }

MIB=1048576
hmac_ns=$(ns hmac/1MiB/SHA512); ours_hmac=$(mbps $MIB "$hmac_ns")
best_hmac=$(( ossl_sha > ours_hmac ? ossl_sha : ours_hmac ))
enc64=$(ns end_to_end/docseal_encrypt/67108864); enc4k=$(ns end_to_end/docseal_encrypt/4096)
dec64=$(ns end_to_end/docseal_decrypt_verify/67108864); dec4k=$(ns end_to_end/docseal_decrypt_verify/4096)
vec64=$(ns end_to_end/docseal_decrypt_to_vec/67108864); vec4k=$(ns end_to_end/docseal_decrypt_to_vec/4096)
byt64=$(ns end_to_end/docseal_decrypt_bytes/67108864); byt4k=$(ns end_to_end/docseal_decrypt_bytes/4096)
enc_pb=$(mbps $((64*MIB - 4096)) $((enc64 - enc4k))); dec_pb=$(mbps $((64*MIB - 4096)) $((dec64 - dec4k)))
vec_pb=$(mbps $((64*MIB - 4096)) $((vec64 - vec4k)))
byt_pb=$(mbps $((64*MIB - 4096)) $((byt64 - byt4k)))
ver64=$(ns end_to_end/docseal_verify/67108864); ver4k=$(ns end_to_end/docseal_verify/4096)
mso_w=$(ns end_to_end/ms_offcrypto_writer_encrypt/67108864); oc_d=$(ns end_to_end/office_crypto_decrypt/67108864)
kdf=$(ns key_derivation/spin_100000/SHA512); bare=$(ns key_derivation/bare_sha2_loop_100000/SHA512)

echo "single-core limits:  openssl sha512 ${ossl_sha} MB/s, openssl aes-256-cbc ${ossl_aes} MB/s, our HMAC-SHA512 ${ours_hmac} MB/s"
echo "per-byte encrypt:    ${enc_pb} MB/s = $(awk -v a="$enc_pb" -v b="$best_hmac" 'BEGIN{printf "%.2f", a/b}') x fastest HMAC-SHA512 (${best_hmac} MB/s)"
echo "per-byte decrypt+verify, one pass (decrypt_to_vec): ${vec_pb} MB/s = $(awk -v a="$vec_pb" -v b="$best_hmac" 'BEGIN{printf "%.2f", a/b}') x fastest HMAC-SHA512"
echo "per-byte decrypt+verify, in memory where it lies (decrypt_bytes): ${byt_pb} MB/s = $(awk -v a="$byt_pb" -v b="$best_hmac" 'BEGIN{printf "%.2f", a/b}') x fastest HMAC-SHA512"
echo "per-byte decrypt+verify, two passes (decrypt to any writer): ${dec_pb} MB/s = $(awk -v a="$dec_pb" -v b="$best_hmac" 'BEGIN{printf "%.2f", a/b}') x fastest HMAC-SHA512"
echo "   of which pass 1 (verify alone): $(( (ver64 - ver4k) / 1000000 )) ms, pass 2: $(( (dec64 - dec4k - ver64 + ver4k) / 1000000 )) ms for 64 MiB; HMAC alone: $(( 64 * MIB / ours_hmac / 1000 )) ms"
echo "64 MiB encrypt vs ms-offcrypto-writer: $(awk -v a="$mso_w" -v b="$enc64" 'BEGIN{printf "%.2f", a/b}') x faster ($((enc64/1000000)) ms vs $((mso_w/1000000)) ms)"
echo "64 MiB decrypt+verify of a file in memory (decrypt_bytes) vs office-crypto decrypt_from_bytes (no verify): $(awk -v a="$oc_d" -v b="$byt64" 'BEGIN{printf "%.2f", a/b}') x faster ($((byt64/1000000)) ms vs $((oc_d/1000000)) ms)"
echo "64 MiB decrypt+verify in memory (decrypt_to_vec) vs office-crypto decrypt_from_bytes (no verify): $(awk -v a="$oc_d" -v b="$vec64" 'BEGIN{printf "%.2f", a/b}') x faster ($((vec64/1000000)) ms vs $((oc_d/1000000)) ms)"
echo "64 MiB decrypt+verify two passes (decrypt) vs office-crypto: $(awk -v a="$oc_d" -v b="$dec64" 'BEGIN{printf "%.2f", a/b}') x faster ($((dec64/1000000)) ms vs $((oc_d/1000000)) ms)"
echo "key derivation: $(awk -v a="$kdf" -v b="$bare" 'BEGIN{printf "%.3f", a/b}') x the bare sha2 loop ($((kdf/1000)) us vs $((bare/1000)) us)"
