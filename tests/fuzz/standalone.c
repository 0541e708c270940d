/* Runs a libFuzzer entry point over files given on the command line,
 * for machines without libFuzzer (tools/fuzz.sh falls back to it). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		uint8_t *b = NULL;
		size_t n = 0, cap = 0;
		size_t r;

		if (f == NULL) {
			perror(argv[i]);
			return 1;
		}
		do {
			if (n == cap) {
				uint8_t *nb;
				cap = cap ? cap * 2 : 65536;
				nb = realloc(b, cap);
				if (nb == NULL) {
					free(b);
					fclose(f);
					return 1;
				}
				b = nb;
			}
			r = fread(b + n, 1, cap - n, f);
			n += r;
		} while (r > 0);
		fclose(f);
		LLVMFuzzerTestOneInput(b, n);
		free(b);
	}
	printf("ran %d inputs\n", argc - 1);
	return 0;
}
