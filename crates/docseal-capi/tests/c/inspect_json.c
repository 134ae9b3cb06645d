/*
 * inspect_json.c -- prints docseal_inspect_json of FILE on one line, for run.sh to compare
 * with `docseal inspect --json FILE`.   inspect_json FILE
 */
#include <docseal.h>

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 1; }
    size_t cap = 1 << 16, len = 0, n;
    unsigned char *data = malloc(cap);
    while (data && (n = fread(data + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            unsigned char *bigger = realloc(data, cap *= 2);
            if (!bigger) free(data);
            data = bigger;
        }
    }
    fclose(f);
    if (!data) { fputs("out of memory\n", stderr); return 1; }
    docseal_buffer json = {0};
    int rc = docseal_inspect_json(data, len, &json);
    free(data);
    if (rc != DOCSEAL_OK) {
        fprintf(stderr, "docseal_inspect_json: %s (code %d)\n", docseal_last_error(), rc);
        return rc;
    }
    printf("%.*s\n", (int)json.len, (const char *)json.data);
    docseal_buffer_free(&json);
    return 0;
}
