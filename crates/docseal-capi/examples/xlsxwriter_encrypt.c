/*
 * xlsxwriter_encrypt.c -- a password-protected workbook from libxlsxwriter and docseal.
 *
 *   xlsxwriter_encrypt OUT.xlsx PASSWORD
 *
 * libxlsxwriter writes the workbook (to a temporary file: Debian 12's libxlsxwriter 1.1.4
 * has no to-memory output; from 1.1.5 on, lxw_workbook_options.output_buffer avoids the file),
 * docseal_encrypt protects the bytes with Office's default profile (Agile, AES-256, SHA-512),
 * and OUT.xlsx opens in Excel, LibreOffice and msoffcrypto-tool with PASSWORD.
 *
 * Build: cc xlsxwriter_encrypt.c $(pkg-config --cflags --libs docseal xlsxwriter) -o xlsxwriter_encrypt
 */
#include <docseal.h>
#include <xlsxwriter.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Writes a small workbook to `path`. 0 on success. */
static int write_workbook(const char *path) {
    lxw_workbook *wb = workbook_new(path);
    if (!wb) return -1;
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Q3");
    worksheet_write_string(ws, 0, 0, "Region", NULL);
    worksheet_write_string(ws, 0, 1, "Revenue", NULL);
    worksheet_write_string(ws, 1, 0, "North", NULL);
    worksheet_write_number(ws, 1, 1, 1234.5, NULL);
    worksheet_write_string(ws, 2, 0, "South", NULL);
    worksheet_write_number(ws, 2, 1, 987, NULL);
    return workbook_close(wb) == LXW_NO_ERROR ? 0 : -1;
}

/* Reads a whole file into a malloc'd buffer. NULL on failure. */
static unsigned char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    unsigned char *buf = NULL;
    long n = -1;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc((size_t)n);
        if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
            free(buf);
            buf = NULL;
        }
    }
    fclose(f);
    *len = buf ? (size_t)n : 0;
    return buf;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s OUT.xlsx PASSWORD\n", argv[0]);
        return 2;
    }
    char tmp[] = "/tmp/xlsxwriter-XXXXXX";
    int fd = mkstemp(tmp);
    if (fd < 0) { perror("mkstemp"); return 1; }
    close(fd);

    size_t len = 0;
    unsigned char *plain = write_workbook(tmp) == 0 ? slurp(tmp, &len) : NULL;
    unlink(tmp);
    if (!plain) { fprintf(stderr, "libxlsxwriter could not write the workbook\n"); return 1; }

    docseal_buffer encrypted = {0};
    int rc = docseal_encrypt(plain, len, argv[2], NULL, &encrypted);
    free(plain);
    if (rc != DOCSEAL_OK) {
        fprintf(stderr, "docseal_encrypt: %s (code %d)\n", docseal_last_error(), rc);
        return rc;
    }
    FILE *out = fopen(argv[1], "wb");
    int ok = out && fwrite(encrypted.data, 1, encrypted.len, out) == encrypted.len;
    if (out && fclose(out) != 0) ok = 0;
    docseal_buffer_free(&encrypted);
    if (!ok) { perror(argv[1]); return 1; }
    printf("wrote %s (libxlsxwriter %s, docseal %s)\n", argv[1], lxw_version(), docseal_version());
    return 0;
}
