#define _GNU_SOURCE /* memmem */
#include "CByteScan.h"

#include <endian.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* What each scan stops at: one place says it, for a byte and for a block of sixteen. */
enum scan { MARKDOWN_QUIET, MARKDOWN_TRIGGER, PRINTABLE_ASCII, HTML_PLAIN, BELOW, LOWERCASE_OR_DIGIT, SCRIPT_PLAIN, LETTER, QUOTED };

#define INLINE static inline __attribute__((always_inline))

INLINE int stops_at(enum scan scan, uint8_t byte, uint8_t limit) {
    switch (scan) {
    case MARKDOWN_QUIET:
        return byte < 0x20 || byte == '@' || byte == '|' || byte == 0x7F || byte == 0xC2 || byte == 0xE2 || byte == 0xEF;
    case MARKDOWN_TRIGGER:
        return byte == '<' || byte == '@' || byte == '`' || byte == '~' || byte == ']' || byte == ':';
    case PRINTABLE_ASCII:
        return byte < 0x20 || byte >= 0x7F;
    case HTML_PLAIN:
        return byte == '&' || byte == '<' || byte == '>' || byte == '"' || byte == '\'';
    case BELOW:
        return byte >= limit;
    case LOWERCASE_OR_DIGIT:
        return !((byte >= 'a' && byte <= 'z') || (byte >= '0' && byte <= '9'));
    case SCRIPT_PLAIN:
        return byte < 0x20 || byte == '"' || byte == '\\' || byte == '<' || byte == '>' || byte == '&' || byte == 0xE2;
    case LETTER:
        return byte < 0x80 && !((byte | 0x20) >= 'a' && (byte | 0x20) <= 'z');
    case QUOTED:
        return byte == '"' || byte == '\\' || byte == '\n';
    }
    return 1;
}

#if defined(__SSE2__)
/* Bytes at most `limit` (unsigned): min(v, limit) == v. */
INLINE __m128i at_most(__m128i v, uint8_t limit) {
    return _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8((char)limit)), v);
}

/* Bytes at least `limit` (unsigned): max(v, limit) == v. */
INLINE __m128i at_least(__m128i v, uint8_t limit) {
    return _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8((char)limit)), v);
}

INLINE __m128i equal(__m128i v, uint8_t byte) {
    return _mm_cmpeq_epi8(v, _mm_set1_epi8((char)byte));
}

/* `stops_at` for each lane of a block: all ones where the scan stops. */
INLINE __m128i stops_in(enum scan scan, __m128i v, uint8_t limit) {
    switch (scan) {
    case MARKDOWN_QUIET:
        return _mm_or_si128(_mm_or_si128(_mm_or_si128(at_most(v, 0x1F), equal(v, '@')), _mm_or_si128(equal(v, '|'), equal(v, 0x7F))),
                            _mm_or_si128(equal(v, 0xC2), _mm_or_si128(equal(v, 0xE2), equal(v, 0xEF))));
    case MARKDOWN_TRIGGER:
        return _mm_or_si128(_mm_or_si128(_mm_or_si128(equal(v, '<'), equal(v, '@')), _mm_or_si128(equal(v, '`'), equal(v, '~'))),
                            _mm_or_si128(equal(v, ']'), equal(v, ':')));
    case PRINTABLE_ASCII:
        return _mm_or_si128(at_most(v, 0x1F), at_least(v, 0x7F));
    case HTML_PLAIN:
        return _mm_or_si128(_mm_or_si128(equal(v, '&'), equal(v, '<')),
                            _mm_or_si128(equal(v, '>'), _mm_or_si128(equal(v, '"'), equal(v, '\''))));
    case BELOW:
        return at_least(v, limit);
    case LOWERCASE_OR_DIGIT: {
        __m128i kept = _mm_or_si128(at_most(_mm_sub_epi8(v, _mm_set1_epi8('a')), 'z' - 'a'),
                                    at_most(_mm_sub_epi8(v, _mm_set1_epi8('0')), '9' - '0'));
        return _mm_andnot_si128(kept, _mm_set1_epi8((char)0xFF));
    }
    case SCRIPT_PLAIN:
        return _mm_or_si128(_mm_or_si128(_mm_or_si128(at_most(v, 0x1F), equal(v, '"')), _mm_or_si128(equal(v, '\\'), equal(v, '<'))),
                            _mm_or_si128(_mm_or_si128(equal(v, '>'), equal(v, '&')), equal(v, 0xE2)));
    case LETTER: {
        /* A letter in either case once bit 5 is set, or any byte from 0x80 on (sign bit). */
        __m128i letter = at_most(_mm_sub_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8('a')), 'z' - 'a');
        return _mm_andnot_si128(_mm_or_si128(letter, _mm_cmplt_epi8(v, _mm_setzero_si128())), _mm_set1_epi8((char)0xFF));
    }
    case QUOTED:
        return _mm_or_si128(_mm_or_si128(equal(v, '"'), equal(v, '\\')), equal(v, '\n'));
    }
    return _mm_set1_epi8((char)0xFF);
}
#endif

/* The scan every `_run` function makes (each a constant `scan`, which the compiler folds). */
INLINE size_t run(enum scan scan, const uint8_t *bytes, size_t count, uint8_t limit) {
    size_t index = 0;
#if defined(__SSE2__)
    for (; index + 16 <= count; index += 16) {
        int mask = _mm_movemask_epi8(stops_in(scan, _mm_loadu_si128((const __m128i *)(bytes + index)), limit));
        if (mask != 0) return index + (size_t)__builtin_ctz((unsigned)mask);
    }
#endif
    for (; index < count; index++) {
        if (stops_at(scan, bytes[index], limit)) return index;
    }
    return count;
}

size_t quizdoc_markdown_quiet_run(const uint8_t *bytes, size_t count) { return run(MARKDOWN_QUIET, bytes, count, 0); }

size_t quizdoc_markdown_untriggered_run(const uint8_t *bytes, size_t count) { return run(MARKDOWN_TRIGGER, bytes, count, 0); }

size_t quizdoc_printable_ascii_run(const uint8_t *bytes, size_t count) { return run(PRINTABLE_ASCII, bytes, count, 0); }

size_t quizdoc_visible_utf8_run(const uint8_t *bytes, size_t count) {
    for (size_t index = 0; index < count; index++) {
        uint8_t byte = bytes[index];
        if (byte < 0x20 || byte == 0x7F) return index;
        if (byte < 0x80) continue;
        /* A lead byte is never a continuation byte (0x80...0xBF): no need to step by scalar. */
        uint8_t second = index + 1 < count ? bytes[index + 1] : 0, third = index + 2 < count ? bytes[index + 2] : 0;
        switch (byte) {
        case 0xC2: /* U+0080...U+009F */
            if (second <= 0x9F) return index;
            break;
        case 0xD8: /* U+061C */
            if (second == 0x9C) return index;
            break;
        case 0xE2: /* U+200E...U+200F, U+2028...U+202E; U+2066...U+2069 */
            if (second == 0x80 && ((third >= 0x8E && third <= 0x8F) || (third >= 0xA8 && third <= 0xAE))) return index;
            if (second == 0x81 && third >= 0xA6 && third <= 0xA9) return index;
            break;
        case 0xEF: /* U+FEFF; U+FFF9...U+FFFB */
            if ((second == 0xBB && third == 0xBF) || (second == 0xBF && third >= 0xB9 && third <= 0xBB)) return index;
            break;
        }
    }
    return count;
}

size_t quizdoc_html_plain_run(const uint8_t *bytes, size_t count) { return run(HTML_PLAIN, bytes, count, 0); }

size_t quizdoc_below_run(const uint8_t *bytes, size_t count, uint8_t limit) { return run(BELOW, bytes, count, limit); }

size_t quizdoc_lowercase_or_digit_run(const uint8_t *bytes, size_t count) { return run(LOWERCASE_OR_DIGIT, bytes, count, 0); }

size_t quizdoc_script_plain_run(const uint8_t *bytes, size_t count) { return run(SCRIPT_PLAIN, bytes, count, 0); }

size_t quizdoc_letter_run(const uint8_t *bytes, size_t count) { return run(LETTER, bytes, count, 0); }

size_t quizdoc_quoted_run(const uint8_t *bytes, size_t count) { return run(QUOTED, bytes, count, 0); }

/* A line's first byte after this line feed could start a directive or a document marker. */
INLINE int starts_marker(uint8_t byte) { return byte == '%' || byte == '-' || byte == '.'; }

size_t quizdoc_yaml_plain_run(const uint8_t *bytes, size_t count) {
    size_t index = 0;
#if defined(__SSE2__)
    /* Each block with the block one byte on beside it: the byte after each line feed. */
    for (; index + 17 <= count; index += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(bytes + index));
        __m128i next = _mm_loadu_si128((const __m128i *)(bytes + index + 1));
        __m128i feed = equal(v, '\n');
        __m128i control = _mm_andnot_si128(feed, at_most(v, 0x1F));
        __m128i marker = _mm_and_si128(feed, _mm_or_si128(_mm_or_si128(equal(next, '%'), equal(next, '-')), equal(next, '.')));
        int mask = _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(control, at_least(v, 0x7F)), marker));
        if (mask != 0) return index + (size_t)__builtin_ctz((unsigned)mask);
    }
#endif
    for (; index < count; index++) {
        uint8_t byte = bytes[index];
        if (byte == '\n') {
            if (index + 1 < count && starts_marker(bytes[index + 1])) return index;
        } else if (byte < 0x20 || byte >= 0x7F) {
            return index;
        }
    }
    return count;
}

size_t quizdoc_run_before(const uint8_t *bytes, size_t count, uint8_t byte) {
    if (count == 0) return 0;
    const uint8_t *found = memchr(bytes, byte, count);
    return found ? (size_t)(found - bytes) : count;
}

size_t quizdoc_find(const uint8_t *bytes, size_t count, const uint8_t *needle, size_t length) {
    if (length == 0 || length > count) return count;
    const uint8_t *found = memmem(bytes, count, needle, length);
    return found ? (size_t)(found - bytes) : count;
}

size_t quizdoc_plain_length(const uint8_t *bytes, size_t count) {
    size_t index = 0, length = 0;
#if defined(__SSE2__)
    const __m128i high_two = _mm_set1_epi8((char)0xC0), continuation = _mm_set1_epi8((char)0x80);
    while (index + 16 <= count) {
        /* Each lane counts the bytes it skips (a match is -1), up to 255 blocks; the lanes
         * are then summed (psadbw against zero). */
        __m128i skipped = _mm_setzero_si128();
        size_t blocks = 0;
        for (; index + 16 <= count && blocks < 255; index += 16, blocks++) {
            __m128i v = _mm_loadu_si128((const __m128i *)(bytes + index));
            __m128i skip = _mm_cmpeq_epi8(_mm_and_si128(v, high_two), continuation);
            skip = _mm_or_si128(skip, _mm_or_si128(equal(v, '*'), _mm_or_si128(equal(v, '_'), equal(v, '`'))));
            skipped = _mm_sub_epi8(skipped, skip);
        }
        __m128i sums = _mm_sad_epu8(skipped, _mm_setzero_si128());
        length += 16 * blocks - (size_t)(_mm_cvtsi128_si32(sums) + _mm_extract_epi16(sums, 4));
    }
#endif
    for (; index < count; index++) {
        uint8_t byte = bytes[index];
        length += (byte & 0xC0) != 0x80 && byte != '*' && byte != '_' && byte != '`';
    }
    return length;
}

#define QUIZDOC_STEP(hash, word) do { uint64_t product = ((hash) ^ (word)) * 0x100000001B3ULL; (hash) = __builtin_rotateleft64(product, 29); } while (0)

/* Whole blocks of 32 bytes, one little-endian word per lane; count is a multiple of 32. The
 * lanes in a local array, which the compiler keeps in registers (through the pointer, each
 * step stored them: the bytes read may alias them). */
static void checksum_blocks(uint64_t lanes[4], const uint8_t *bytes, size_t count) {
    uint64_t local[4];
    memcpy(local, lanes, sizeof local);
    for (size_t offset = 0; offset < count; offset += 32) {
        for (int lane = 0; lane < 4; lane++) {
            uint64_t word;
            memcpy(&word, bytes + offset + 8 * lane, 8);
            QUIZDOC_STEP(local[lane], le64toh(word));
        }
    }
    memcpy(lanes, local, sizeof local);
}

void quizdoc_checksum_start(quizdoc_checksum_state *state) {
    state->lanes[0] = 0xCBF29CE484222325ULL;
    state->lanes[1] = 0x84222325CBF29CE4ULL;
    state->lanes[2] = 0x9E3779B97F4A7C15ULL;
    state->lanes[3] = 0xC2B2AE3D27D4EB4FULL;
    state->pendingCount = 0;
}

void quizdoc_checksum_add(quizdoc_checksum_state *state, const uint8_t *bytes, size_t count) {
    if (count == 0) return;
    if (state->pendingCount > 0) {
        size_t taken = 32 - state->pendingCount < count ? 32 - state->pendingCount : count;
        memcpy(state->pending + state->pendingCount, bytes, taken);
        state->pendingCount += taken;
        bytes += taken;
        count -= taken;
        if (state->pendingCount < 32) return;
        checksum_blocks(state->lanes, state->pending, 32);
        state->pendingCount = 0;
    }
    size_t whole = count & ~(size_t)31;
    checksum_blocks(state->lanes, bytes, whole);
    memcpy(state->pending, bytes + whole, count - whole);
    state->pendingCount = count - whole;
}

uint64_t quizdoc_checksum_end(const quizdoc_checksum_state *state) {
    uint64_t hash = state->lanes[0];
    QUIZDOC_STEP(hash, state->lanes[1]);
    QUIZDOC_STEP(hash, state->lanes[2]);
    QUIZDOC_STEP(hash, state->lanes[3]);
    size_t offset = 0, count = state->pendingCount;
    for (; offset + 8 <= count; offset += 8) {
        uint64_t word;
        memcpy(&word, state->pending + offset, 8);
        QUIZDOC_STEP(hash, le64toh(word));
    }
    for (; offset < count; offset++) hash = (hash ^ state->pending[offset]) * 0x100000001B3ULL;
    return hash;
}

#undef QUIZDOC_STEP

uint64_t quizdoc_checksum(const uint8_t *bytes, size_t count) {
    quizdoc_checksum_state state;
    quizdoc_checksum_start(&state);
    quizdoc_checksum_add(&state, bytes, count);
    return quizdoc_checksum_end(&state);
}

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

int quizdoc_prefault(void *bytes, size_t count) {
    if (bytes == NULL || count < (1 << 18)) return 0;
    /* The whole pages inside the room: the pages at its ends may hold other allocations,
     * which populating would not change either, but are likely backed already. */
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t start = ((uintptr_t)bytes + page - 1) & ~(page - 1);
    uintptr_t end = ((uintptr_t)bytes + count) & ~(page - 1);
    return end > start && madvise((void *)start, end - start, MADV_POPULATE_WRITE) == 0;
}
