package dev.llmguard.detect.secrets;

/** A secret found at {@code [start, end)}, before overlaps are resolved. */
record Candidate(
    int start, int end, String format, String entity, String description, double score) {}
