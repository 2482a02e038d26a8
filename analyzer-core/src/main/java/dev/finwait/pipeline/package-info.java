/** Moving work between threads: a bounded, ordered hand-over to a consumer thread. */
package dev.finwait.pipeline;
