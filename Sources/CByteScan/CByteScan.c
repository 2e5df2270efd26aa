#include "CByteScan.h"

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>

/* Bytes at most `limit` (unsigned): min(v, limit) == v. */
static inline __m128i at_most(__m128i v, uint8_t limit) {
    return _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8((char)limit)), v);
}

/* Bytes at least `limit` (unsigned): max(v, limit) == v. */
static inline __m128i at_least(__m128i v, uint8_t limit) {
    return _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8((char)limit)), v);
}

static inline __m128i equal(__m128i v, uint8_t byte) {
    return _mm_cmpeq_epi8(v, _mm_set1_epi8((char)byte));
}
#endif

static inline int is_loud(uint8_t byte) {
    return byte < 0x20 || byte == '@' || byte == '|' || byte == 0x7F || byte == 0xC2 || byte == 0xE2 || byte == 0xEF;
}

size_t quizdoc_markdown_quiet_run(const uint8_t *bytes, size_t count) {
    size_t index = 0;
#if defined(__SSE2__)
    for (; index + 16 <= count; index += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(bytes + index));
        __m128i stops = _mm_or_si128(_mm_or_si128(at_most(v, 0x1F), equal(v, '@')), _mm_or_si128(equal(v, '|'), equal(v, 0x7F)));
        stops = _mm_or_si128(stops, _mm_or_si128(equal(v, 0xC2), _mm_or_si128(equal(v, 0xE2), equal(v, 0xEF))));
        int mask = _mm_movemask_epi8(stops);
        if (mask != 0) return index + (size_t)__builtin_ctz((unsigned)mask);
    }
#endif
    for (; index < count; index++) {
        if (is_loud(bytes[index])) return index;
    }
    return count;
}

static inline int is_trigger(uint8_t byte) {
    return byte == '<' || byte == '@' || byte == '`' || byte == '~' || byte == ']' || byte == ':';
}

size_t quizdoc_markdown_untriggered_run(const uint8_t *bytes, size_t count) {
    size_t index = 0;
#if defined(__SSE2__)
    for (; index + 16 <= count; index += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(bytes + index));
        __m128i stops = _mm_or_si128(_mm_or_si128(equal(v, '<'), equal(v, '@')), _mm_or_si128(equal(v, '`'), equal(v, '~')));
        stops = _mm_or_si128(stops, _mm_or_si128(equal(v, ']'), equal(v, ':')));
        int mask = _mm_movemask_epi8(stops);
        if (mask != 0) return index + (size_t)__builtin_ctz((unsigned)mask);
    }
#endif
    for (; index < count; index++) {
        if (is_trigger(bytes[index])) return index;
    }
    return count;
}

size_t quizdoc_printable_ascii_run(const uint8_t *bytes, size_t count) {
    size_t index = 0;
#if defined(__SSE2__)
    for (; index + 16 <= count; index += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(bytes + index));
        int mask = _mm_movemask_epi8(_mm_or_si128(at_most(v, 0x1F), at_least(v, 0x7F)));
        if (mask != 0) return index + (size_t)__builtin_ctz((unsigned)mask);
    }
#endif
    for (; index < count; index++) {
        if (bytes[index] < 0x20 || bytes[index] >= 0x7F) return index;
    }
    return count;
}

size_t quizdoc_html_plain_run(const uint8_t *bytes, size_t count) {
    size_t index = 0;
#if defined(__SSE2__)
    for (; index + 16 <= count; index += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(bytes + index));
        __m128i stops = _mm_or_si128(_mm_or_si128(equal(v, '&'), equal(v, '<')), _mm_or_si128(equal(v, '>'), _mm_or_si128(equal(v, '"'), equal(v, '\''))));
        int mask = _mm_movemask_epi8(stops);
        if (mask != 0) return index + (size_t)__builtin_ctz((unsigned)mask);
    }
#endif
    for (; index < count; index++) {
        uint8_t byte = bytes[index];
        if (byte == '&' || byte == '<' || byte == '>' || byte == '"' || byte == '\'') return index;
    }
    return count;
}

size_t quizdoc_run_before(const uint8_t *bytes, size_t count, uint8_t byte) {
    if (count == 0) return 0;
    const uint8_t *found = memchr(bytes, byte, count);
    return found ? (size_t)(found - bytes) : count;
}

size_t quizdoc_below_run(const uint8_t *bytes, size_t count, uint8_t limit) {
    size_t index = 0;
#if defined(__SSE2__)
    for (; index + 16 <= count; index += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(bytes + index));
        int mask = _mm_movemask_epi8(at_least(v, limit));
        if (mask != 0) return index + (size_t)__builtin_ctz((unsigned)mask);
    }
#endif
    for (; index < count; index++) {
        if (bytes[index] >= limit) return index;
    }
    return count;
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
