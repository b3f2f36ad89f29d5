/**
 * The built-in {@code exfiltration} detector: notices answers whose links, images or HTML tags
 * would carry data to a third party when the answer is rendered, and URLs that are dangerous in
 * themselves ({@code javascript:}, {@code data:}, credentials, IP-literal or punycode hosts).
 */
package dev.llmguard.detect.exfiltration;
