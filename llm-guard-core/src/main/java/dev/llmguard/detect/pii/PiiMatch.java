package dev.llmguard.detect.pii;

/** One candidate found by a scanner: a half-open char range, its entity and its score. */
record PiiMatch(PiiEntity entity, int start, int end, double score) {}
