#ifndef QUIZDOC_CBYTESCAN_H
#define QUIZDOC_CBYTESCAN_H

#include <stddef.h>
#include <stdint.h>

/* Each `_run` function passes over bytes[0..<count] from its start and returns where it
 * stopped: the index of the first byte it stops at, or count. Sixteen bytes at a time (SSE2,
 * which every x86-64 processor has), then one at a time; one at a time elsewhere. */

/* Stops at a control character (below 0x20), '@', '|', 0x7F, or the lead byte 0xC2, 0xE2 or
 * 0xEF: what `Markdown.lineProblems` looks at past a line's start. */
size_t quizdoc_markdown_quiet_run(const uint8_t *bytes, size_t count);

/* Stops at '<', '@', '`', '~', ']' or ':': a byte that can start or end what makes cmark-gfm's
 * parse find a problem (`Markdown.mayHaveParseProblems`). */
size_t quizdoc_markdown_untriggered_run(const uint8_t *bytes, size_t count);

/* Stops at a byte below 0x20 or from 0x7F on: the bytes of printable ASCII
 * (`SimpleYAML.checkCharacters`). */
size_t quizdoc_printable_ascii_run(const uint8_t *bytes, size_t count);

/* Stops at the first byte of a scalar `Diagnostic.visible` escapes, in valid UTF-8: a C0 or
 * C1 control, DEL, U+061C, U+200E...U+200F, U+2028...U+202E, U+2066...U+2069, U+FEFF or
 * U+FFF9...U+FFFB. One byte at a time. */
size_t quizdoc_visible_utf8_run(const uint8_t *bytes, size_t count);

/* Stops at a byte HTML escapes: '&', '<', '>', '"' or '\''. */
size_t quizdoc_html_plain_run(const uint8_t *bytes, size_t count);

/* Stops at a byte other than 'a'...'z' and '0'...'9': the rest of a word as the search
 * index reads it when it is lowercase ASCII (`SearchTerms.scan`). */
size_t quizdoc_lowercase_or_digit_run(const uint8_t *bytes, size_t count);

/* Stops at a byte below 0x20, '"', '\\', '<', '>', '&' or 0xE2: what a JavaScript string of
 * the search index escapes, or may (`SearchIndex.appendQuoted`). */
size_t quizdoc_script_plain_run(const uint8_t *bytes, size_t count);

/* Stops at an ASCII byte other than a letter ('a'...'z', 'A'...'Z'): a word's bytes as the
 * linter's cue search reads them, any byte of a non-ASCII character taken as a letter
 * (`Linter.containsAnyWord`). */
size_t quizdoc_letter_run(const uint8_t *bytes, size_t count);

/* Stops at a control character other than a line feed, at 0x7F or above, and at a line
 * feed followed by '%', '-' or '.', which may start a directive or a document marker: the
 * bytes of a YAML file `SimpleYAML.checkCharacters` passes over at once. */
size_t quizdoc_yaml_plain_run(const uint8_t *bytes, size_t count);

/* Stops at '"', '\\' or a line feed: the inside of a YAML double-quoted scalar that is
 * copied as it is (`SimpleYAML.doubleQuoted`). */
size_t quizdoc_quoted_run(const uint8_t *bytes, size_t count);

/* Stops at `byte` (memchr). */
size_t quizdoc_run_before(const uint8_t *bytes, size_t count, uint8_t byte);

/* Stops at a byte of `limit` or more (unsigned). */
size_t quizdoc_below_run(const uint8_t *bytes, size_t count, uint8_t limit);

/* Where needle[0..<length] first occurs in bytes[0..<count] (memmem), or count; count for
 * an empty needle. */
size_t quizdoc_find(const uint8_t *bytes, size_t count, const uint8_t *needle, size_t length);

/* How many bytes of bytes[0..<count] are neither a UTF-8 continuation byte (10xxxxxx) nor
 * '*', '_' or '`': the Unicode scalars of valid UTF-8 less Markdown's emphasis and code
 * marks (`Linter.plainLength`). */
size_t quizdoc_plain_length(const uint8_t *bytes, size_t count);

/* `Checksum.of` (TokenCodec), whose comment says what it is: four lanes of FNV-1a's step
 * over little-endian words, each product rotated, with `__builtin_rotateleft64`: a rotation
 * written with shifts became a second multiplication. */
uint64_t quizdoc_checksum(const uint8_t *bytes, size_t count);

/* The same over bytes given in parts, one after the other (`Checksum.Running`): the whole
 * blocks of 32 bytes as they come, the rest of a part kept until the next one fills it. */
typedef struct {
    uint64_t lanes[4];
    uint8_t pending[32];
    size_t pendingCount;
} quizdoc_checksum_state;

void quizdoc_checksum_start(quizdoc_checksum_state *state);
void quizdoc_checksum_add(quizdoc_checksum_state *state, const uint8_t *bytes, size_t count);
uint64_t quizdoc_checksum_end(const quizdoc_checksum_state *state);

/* Memory, not bytes: has the kernel back the whole pages of bytes[0..<count], room just
 * allocated for a large output or file, in one call (MADV_POPULATE_WRITE, Linux 5.14) rather
 * than a page fault for each of its 4 KB pages as they are first written: a one-question
 * edit of a 1,000-phase course took some 1,500 such faults in five buffers of 0.7-3.4 MB.
 * Nothing for less than 256 KB, nor where the kernel cannot; the bytes are not changed.
 * Returns whether the pages were backed. */
int quizdoc_prefault(void *bytes, size_t count);

#endif
