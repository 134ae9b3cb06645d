/*
 * test_docseal.c -- the C ABI from C: every function, every error code it can produce,
 * buffers, per-thread last errors, 8 threads at once. Run by run.sh (plain, valgrind, ASan).
 *
 *   test_docseal PLAIN.docx WORKDIR [CERT.pem]
 *
 * Prints one line per failed check and ends with "N passed, M failed"; exit 0 iff M == 0.
 */
#include <docseal.h>

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int passed, failed;
static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;

/* Records one check; on failure prints what and this thread's last error. */
static void check(int ok, const char *fmt, ...) {
    pthread_mutex_lock(&count_lock);
    if (ok) {
        passed++;
    } else {
        va_list ap;
        failed++;
        va_start(ap, fmt);
        fputs("FAIL: ", stdout);
        vprintf(fmt, ap);
        va_end(ap);
        printf(" (last error: %s)\n", docseal_last_error());
    }
    pthread_mutex_unlock(&count_lock);
}

/* A call's code compared with the expected one. */
#define EXPECT(code, call) do { \
        int rc_ = (call); \
        check(rc_ == (code), "%s:%d: %s returned %d, want %d", __FILE__, __LINE__, #call, rc_, (code)); \
    } while (0)

/* The first offset of `needle` in `hay`, or (size_t)-1. */
static size_t find(const unsigned char *hay, size_t len, const char *needle) {
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(hay + i, needle, n) == 0) return i;
    return (size_t)-1;
}

static int contains(const char *hay, size_t len, const char *needle) {
    return hay && find((const unsigned char *)hay, len, needle) != (size_t)-1;
}

static unsigned char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc(n > 0 ? (size_t)n : 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) { perror(path); exit(2); }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static void write_file(const char *path, const unsigned char *data, size_t len) {
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) { perror(path); exit(2); }
}

static int same_bytes(const docseal_buffer *b, const unsigned char *data, size_t len) {
    return b->len == len && b->data && memcmp(b->data, data, len) == 0;
}

static const unsigned char *plain;
static size_t plain_len;
static const char *workdir;
static docseal_encrypt_options *fast; /* spin_count 1000: keeps valgrind quick */

static void path_in_workdir(char *out, size_t size, const char *name) {
    snprintf(out, size, "%s/%s", workdir, name);
}

static void test_version(void) {
    const char *v = docseal_version();
    check(v && v[0] >= '0' && v[0] <= '9', "docseal_version() = %s", v ? v : "(null)");
#ifdef EXPECTED_VERSION
    check(v && strcmp(v, EXPECTED_VERSION) == 0, "version %s, pkg-config says %s", v, EXPECTED_VERSION);
#endif
    check(docseal_last_error() != NULL && docseal_last_error()[0] == '\0',
          "last error before any failure is \"\"");
}

static void test_options(void) {
    docseal_encrypt_options *o = docseal_encrypt_options_new();
    check(o != NULL, "options_new");
    EXPECT(0, docseal_encrypt_options_set(o, "cipher", "aes128"));
    EXPECT(0, docseal_encrypt_options_set(o, "hash", "sha256"));
    EXPECT(0, docseal_encrypt_options_set(o, "spin_count", "1000"));
    EXPECT(0, docseal_encrypt_options_set(o, "scheme", "agile"));
    EXPECT(0, docseal_encrypt_options_set(o, "label_id", "3a6c1e7e-2f4b-4c8e-9d61-0123456789ab"));
    EXPECT(0, docseal_encrypt_options_set(o, "label_tenant", "5e2d1c3b-4a59-4f68-8e7d-6c5b4a392817"));
    EXPECT(0, docseal_encrypt_options_set(o, "label_name", "Confidential"));
    EXPECT(2, docseal_encrypt_options_set(o, "colour", "red"));
    check(strstr(docseal_last_error(), "colour") != NULL, "unknown key named: %s", docseal_last_error());
    EXPECT(2, docseal_encrypt_options_set(o, "cipher", "serpent"));
    EXPECT(2, docseal_encrypt_options_set(o, "hash", "sha3-256"));
    EXPECT(2, docseal_encrypt_options_set(o, "chaining", "ecb"));
    EXPECT(2, docseal_encrypt_options_set(o, "spin_count", "many"));
    EXPECT(2, docseal_encrypt_options_set(o, "spin_count", "10000001"));
    EXPECT(2, docseal_encrypt_options_set(o, "scheme", "rc4"));
    EXPECT(2, docseal_encrypt_options_set(o, "label_id", "not-a-guid"));
    EXPECT(2, docseal_encrypt_options_set(o, "recipient", "/nonexistent/cert.pem"));
    EXPECT(2, docseal_encrypt_options_set(NULL, "cipher", "aes128"));
    EXPECT(2, docseal_encrypt_options_set(o, NULL, "aes128"));
    EXPECT(2, docseal_encrypt_options_set(o, "cipher", NULL));
    EXPECT(2, docseal_encrypt_options_set(o, "cipher", "aes\xff"));

    /* The options work: AES-128/SHA-256 with the label, as inspect tells. */
    docseal_buffer enc = {0}, json = {0};
    EXPECT(0, docseal_encrypt(plain, plain_len, "options", o, &enc));
    EXPECT(0, docseal_inspect_json(enc.data, enc.len, &json));
    check(contains((char *)json.data, json.len, "\"encrypted-package\""), "inspect: encrypted-package");
    check(contains((char *)json.data, json.len, "SHA256"), "inspect shows SHA256: %.*s", (int)(json.len > 300 ? 300 : json.len), (char *)json.data);
    docseal_buffer_free(&json);
    docseal_buffer dec = {0};
    EXPECT(0, docseal_decrypt(enc.data, enc.len, "options", &dec));
    check(contains((char *)dec.data, dec.len, "docMetadata/LabelInfo.xml"), "label written before encrypting");
    docseal_buffer_free(&dec);
    docseal_buffer_free(&enc);

    /* Standard scheme. */
    docseal_encrypt_options *std_opts = docseal_encrypt_options_new();
    EXPECT(0, docseal_encrypt_options_set(std_opts, "scheme", "standard"));
    EXPECT(0, docseal_encrypt_options_set(std_opts, "spin_count", "1000"));
    EXPECT(0, docseal_encrypt(plain, plain_len, "std", std_opts, &enc));
    EXPECT(0, docseal_verify(enc.data, enc.len, "std"));
    EXPECT(3, docseal_verify(enc.data, enc.len, "STD"));
    EXPECT(0, docseal_decrypt(enc.data, enc.len, "std", &dec));
    check(same_bytes(&dec, plain, plain_len), "standard round trip");
    docseal_buffer_free(&dec);
    docseal_buffer_free(&enc);
    docseal_encrypt_options_free(std_opts);

    /* A label needs its tenant (checked when encrypting). */
    docseal_encrypt_options *half = docseal_encrypt_options_new();
    EXPECT(0, docseal_encrypt_options_set(half, "label_id", "3a6c1e7e-2f4b-4c8e-9d61-0123456789ab"));
    EXPECT(2, docseal_encrypt(plain, plain_len, "pw", half, &enc));
    check(enc.data == NULL && enc.len == 0, "failed call leaves {NULL, 0}");
    docseal_encrypt_options_free(half);

    docseal_encrypt_options_free(o);
    docseal_encrypt_options_free(NULL);
}

/* Where EncryptedPackage starts in an encrypted file: its 8-byte size prefix, the package's
 * length as a little-endian u64, found once in the file. (size_t)-1 if not found once. */
static size_t package_offset(const unsigned char *file, size_t len) {
    unsigned char prefix[8];
    size_t found = (size_t)-1, hits = 0;
    for (int i = 0; i < 8; i++)
        prefix[i] = (unsigned char)((unsigned long long)plain_len >> (8 * i));
    for (size_t i = 0; i + 8 + 32 <= len; i++)
        if (memcmp(file + i, prefix, 8) == 0) {
            found = i;
            hits++;
        }
    return hits == 1 ? found : (size_t)-1;
}

/* A copy of a file encrypted with spin count 1000 whose EncryptionInfo says 99999999, above
 * the 10,000,000 limit: the certificate namespace URI, which nothing reads, gives up the four
 * bytes ("...certificate" becomes "...certifi"), so the stream keeps its length. NULL if the
 * XML is not where docseal writes it. */
static unsigned char *with_huge_spin_count(const unsigned char *file, size_t len) {
    size_t a = find(file, len, "keyEncryptor/certificate\"");
    size_t b = find(file, len, "spinCount=\"1000\"");
    if (a == (size_t)-1 || b == (size_t)-1 || a > b) return NULL;
    unsigned char *copy = malloc(len);
    memcpy(copy, file, len);
    size_t cut = a + strlen("keyEncryptor/certifi"), digits = b + strlen("spinCount=\"");
    memmove(copy + cut, copy + cut + 4, digits - (cut + 4));
    memcpy(copy + digits - 4, "99999999", 8);
    return copy;
}

static void test_memory_round_trip(void) {
    docseal_buffer enc = {0}, dec = {0};
    /* NULL options: Office's default profile (spin count 100,000). */
    EXPECT(0, docseal_encrypt(plain, plain_len, "s3cret \xc3\xa9t\xc3\xa9", NULL, &enc));
    check(enc.len > 4 && memcmp(enc.data, "\xd0\xcf\x11\xe0", 4) == 0, "encrypted file is a compound file");
    EXPECT(0, docseal_verify(enc.data, enc.len, "s3cret \xc3\xa9t\xc3\xa9"));
    EXPECT(0, docseal_decrypt(enc.data, enc.len, "s3cret \xc3\xa9t\xc3\xa9", &dec));
    check(same_bytes(&dec, plain, plain_len), "default-profile round trip");
    docseal_buffer_free(&dec);
    check(dec.data == NULL && dec.len == 0, "buffer_free empties the buffer");
    docseal_buffer_free(&dec); /* twice: ignored */
    docseal_buffer_free(NULL);

    /* Wrong password, tampering, plain input, garbage. */
    EXPECT(3, docseal_decrypt(enc.data, enc.len, "S3cret", &dec));
    check(strstr(docseal_last_error(), "wrong password") != NULL, "message: %s", docseal_last_error());
    EXPECT(3, docseal_verify(enc.data, enc.len, ""));
    check(dec.data == NULL, "no plaintext after a failure");
    docseal_buffer_free(&enc);

    EXPECT(0, docseal_encrypt(plain, plain_len, "pw", fast, &enc));
    unsigned char *bad = malloc(enc.len);
    memcpy(bad, enc.data, enc.len);
    size_t at = package_offset(bad, enc.len);
    check(at != (size_t)-1, "EncryptedPackage found");
    if (at != (size_t)-1)
        bad[at + 8 + 20] ^= 0x01; /* a ciphertext byte of the first segment */
    EXPECT(4, docseal_verify(bad, enc.len, "pw"));
    EXPECT(4, docseal_decrypt(bad, enc.len, "pw", &dec));
    check(dec.data == NULL, "no plaintext from a tampered file");
    free(bad);

    unsigned char *huge = with_huge_spin_count(enc.data, enc.len);
    check(huge != NULL, "spinCount found in EncryptionInfo");
    if (huge) {
        EXPECT(8, docseal_verify(huge, enc.len, "pw"));
        check(strstr(docseal_last_error(), "spin") != NULL, "limit named: %s", docseal_last_error());
        EXPECT(8, docseal_decrypt(huge, enc.len, "pw", &dec));
        free(huge);
    }

    EXPECT(5, docseal_encrypt(enc.data, enc.len, "pw", fast, &dec)); /* already encrypted */
    EXPECT(6, docseal_decrypt(plain, plain_len, "pw", &dec));
    EXPECT(6, docseal_verify(plain, plain_len, "pw"));
    static const unsigned char garbage[] = "this is not an Office file at all, just text";
    EXPECT(7, docseal_decrypt(garbage, sizeof garbage, "pw", &dec));
    EXPECT(7, docseal_verify(garbage, sizeof garbage, "pw"));
    EXPECT(7, docseal_decrypt(enc.data, 1000, "pw", &dec)); /* truncated */

    /* Passwords for new files. */
    EXPECT(2, docseal_encrypt(plain, plain_len, "", fast, &dec));
    EXPECT(2, docseal_encrypt(plain, plain_len, NULL, fast, &dec));

    /* NULL pointers and invalid UTF-8. */
    EXPECT(2, docseal_encrypt(NULL, 10, "pw", fast, &dec));
    EXPECT(2, docseal_encrypt(plain, plain_len, "pw", fast, NULL));
    EXPECT(2, docseal_encrypt(plain, plain_len, "p\xc3", fast, &dec));
    EXPECT(2, docseal_decrypt(NULL, 0, "pw", &dec));
    EXPECT(2, docseal_decrypt(enc.data, enc.len, NULL, &dec));
    EXPECT(2, docseal_decrypt(enc.data, enc.len, "pw", NULL));
    EXPECT(2, docseal_decrypt(enc.data, enc.len, "\xff\xfe", &dec));
    check(strstr(docseal_last_error(), "UTF-8") != NULL, "message: %s", docseal_last_error());
    EXPECT(2, docseal_verify(NULL, 0, "pw"));
    EXPECT(2, docseal_verify(enc.data, enc.len, NULL));
    EXPECT(2, docseal_inspect_json(NULL, 0, &dec));
    EXPECT(2, docseal_inspect_json(enc.data, enc.len, NULL));
    docseal_buffer_free(&enc);
}

static void test_inspect(void) {
    docseal_buffer json = {0};
    EXPECT(0, docseal_inspect_json(plain, plain_len, &json));
    check(json.len > 2 && json.data[0] == '{' && json.data[json.len - 1] == '}', "inspect gives one JSON object");
    check(contains((char *)json.data, json.len, "\"encrypted\":false"), "plain: encrypted false: %.*s",
          (int)(json.len > 200 ? 200 : json.len), (char *)json.data);
    docseal_buffer_free(&json);
}

static void test_labels(void) {
    const char *id = "3a6c1e7e-2f4b-4c8e-9d61-0123456789ab", *tenant = "5e2d1c3b-4a59-4f68-8e7d-6c5b4a392817";
    docseal_buffer labelled = {0}, json = {0}, enc = {0}, relabelled = {0}, dec = {0};
    EXPECT(0, docseal_label_set(plain, plain_len, NULL, id, tenant, &labelled));
    EXPECT(0, docseal_inspect_json(labelled.data, labelled.len, &json));
    check(contains((char *)json.data, json.len, id), "inspect shows the label set on a plain package");
    docseal_buffer_free(&json);

    EXPECT(0, docseal_encrypt(plain, plain_len, "lbl", fast, &enc));
    EXPECT(0, docseal_label_set(enc.data, enc.len, "lbl", id, tenant, &relabelled));
    EXPECT(0, docseal_verify(relabelled.data, relabelled.len, "lbl"));
    EXPECT(0, docseal_decrypt(relabelled.data, relabelled.len, "lbl", &dec));
    check(contains((char *)dec.data, dec.len, "docMetadata/LabelInfo.xml"), "encrypted file relabelled");
    docseal_buffer_free(&dec);
    docseal_buffer_free(&relabelled);

    EXPECT(3, docseal_label_set(enc.data, enc.len, "wrong", id, tenant, &relabelled));
    EXPECT(2, docseal_label_set(enc.data, enc.len, "lbl", "not-a-guid", tenant, &relabelled));
    EXPECT(2, docseal_label_set(enc.data, enc.len, "lbl", id, NULL, &relabelled));
    EXPECT(2, docseal_label_set(enc.data, enc.len, "lbl", NULL, tenant, &relabelled));
    EXPECT(2, docseal_label_set(NULL, 0, NULL, id, tenant, &relabelled));
    EXPECT(2, docseal_label_set(plain, plain_len, NULL, id, tenant, NULL));
    EXPECT(2, docseal_label_set(plain, plain_len, "\xff", id, tenant, &relabelled));
    docseal_buffer_free(&enc);
    docseal_buffer_free(&labelled);
}

static void test_files(void) {
    char in[4096], out[4096], back[4096], link_path[4096], missing[4096];
    path_in_workdir(in, sizeof in, "in.docx");
    path_in_workdir(out, sizeof out, "out.docx");
    path_in_workdir(back, sizeof back, "back.docx");
    path_in_workdir(link_path, sizeof link_path, "in-link.docx");
    path_in_workdir(missing, sizeof missing, "missing.docx");
    write_file(in, plain, plain_len);
    unlink(out);
    unlink(back);
    unlink(link_path);

    EXPECT(0, docseal_encrypt_file(in, out, "file-pw", fast));
    EXPECT(3, docseal_decrypt_file(out, back, "nope"));
    check(access(back, F_OK) != 0, "no output after a wrong password");
    EXPECT(0, docseal_decrypt_file(out, back, "file-pw"));
    size_t n = 0;
    unsigned char *got = read_file(back, &n);
    check(n == plain_len && memcmp(got, plain, n) == 0, "file round trip");
    free(got);

    /* The output must not be the input, by device and inode. */
    EXPECT(2, docseal_encrypt_file(in, in, "pw", fast));
    check(link(in, link_path) == 0, "hard link");
    EXPECT(2, docseal_encrypt_file(in, link_path, "pw", fast));
    EXPECT(2, docseal_decrypt_file(out, out, "file-pw"));
    n = 0;
    got = read_file(in, &n);
    check(n == plain_len && memcmp(got, plain, n) == 0, "input untouched");
    free(got);

    EXPECT(1, docseal_encrypt_file(missing, out, "pw", fast));
    EXPECT(1, docseal_decrypt_file(missing, back, "pw"));
    EXPECT(6, docseal_decrypt_file(in, back, "pw"));
    EXPECT(5, docseal_encrypt_file(out, back, "pw", fast));
    EXPECT(2, docseal_encrypt_file(NULL, out, "pw", fast));
    EXPECT(2, docseal_encrypt_file(in, NULL, "pw", fast));
    EXPECT(2, docseal_encrypt_file(in, out, "", fast));
    EXPECT(2, docseal_decrypt_file(out, back, NULL));
    EXPECT(2, docseal_decrypt_file(out, "\xff/x", "file-pw"));
    unlink(link_path);
}

static void test_recipients(const char *cert) {
    docseal_encrypt_options *o = docseal_encrypt_options_new();
    EXPECT(0, docseal_encrypt_options_set(o, "spin_count", "1000"));
    EXPECT(0, docseal_encrypt_options_set(o, "recipient", cert));
    docseal_buffer enc = {0}, json = {0};
    EXPECT(0, docseal_encrypt(plain, plain_len, NULL, o, &enc)); /* recipients only */
    EXPECT(0, docseal_inspect_json(enc.data, enc.len, &json));
    check(contains((char *)json.data, json.len, "certificate"), "inspect names the certificate encryptor");
    docseal_buffer_free(&json);
    EXPECT(3, docseal_verify(enc.data, enc.len, "any password"));
    docseal_buffer_free(&enc);
    EXPECT(0, docseal_encrypt(plain, plain_len, "and-pw", o, &enc));
    EXPECT(0, docseal_verify(enc.data, enc.len, "and-pw"));
    docseal_buffer_free(&enc);
    EXPECT(2, docseal_encrypt(plain, plain_len, "", o, &enc));
    /* A file that is not a certificate: the library's code, not 0. */
    check(docseal_encrypt_options_set(o, "recipient", workdir) != 0, "a directory is no certificate");
    docseal_encrypt_options_free(o);
}

/* ---- threads ---------------------------------------------------------------------------- */

#define THREADS 8
static pthread_barrier_t barrier;

static void *worker(void *arg) {
    int id = (int)(long)arg;
    char password[32], key[32];
    snprintf(password, sizeof password, "thread-%d-pw", id);
    snprintf(key, sizeof key, "no-such-key-%d", id);
    docseal_encrypt_options *own = docseal_encrypt_options_new(); /* set by this thread only */
    pthread_barrier_wait(&barrier);
    for (int round = 0; round < 2; round++) {
        docseal_buffer enc = {0}, dec = {0};
        EXPECT(0, docseal_encrypt(plain, plain_len, password, fast, &enc));
        EXPECT(0, docseal_decrypt(enc.data, enc.len, password, &dec));
        check(same_bytes(&dec, plain, plain_len), "thread %d round trip", id);
        docseal_buffer_free(&dec);
        /* Each thread's own failure: even threads a wrong password, odd ones an unknown key. */
        if (id % 2 == 0)
            EXPECT(3, docseal_decrypt(enc.data, enc.len, "wrong", &dec));
        else
            EXPECT(2, docseal_encrypt_options_set(own, key, "x"));
        docseal_buffer_free(&enc);
        pthread_barrier_wait(&barrier); /* every thread has failed; now read back */
        const char *msg = docseal_last_error();
        if (id % 2 == 0)
            check(strstr(msg, "wrong password") != NULL, "thread %d last error: %s", id, msg);
        else
            check(strstr(msg, key) != NULL, "thread %d last error names its key: %s", id, msg);
        pthread_barrier_wait(&barrier);
    }
    docseal_encrypt_options_free(own);
    return NULL;
}

static void test_threads(void) {
    pthread_t t[THREADS];
    pthread_barrier_init(&barrier, NULL, THREADS);
    for (long i = 0; i < THREADS; i++)
        check(pthread_create(&t[i], NULL, worker, (void *)i) == 0, "pthread_create");
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    pthread_barrier_destroy(&barrier);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s PLAIN.docx WORKDIR [CERT.pem]\n", argv[0]);
        return 2;
    }
    size_t len;
    unsigned char *bytes = read_file(argv[1], &len);
    plain = bytes;
    plain_len = len;
    workdir = argv[2];
    test_version();
    fast = docseal_encrypt_options_new();
    /* Shared by the threads for reading only. */
    EXPECT(0, docseal_encrypt_options_set(fast, "spin_count", "1000"));
    test_options();
    test_memory_round_trip();
    test_inspect();
    test_labels();
    test_files();
    if (argc > 3)
        test_recipients(argv[3]);
    else
        printf("note: no certificate given: recipient checks skipped\n");
    test_threads();
    docseal_encrypt_options_free(fast);
    free(bytes);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
