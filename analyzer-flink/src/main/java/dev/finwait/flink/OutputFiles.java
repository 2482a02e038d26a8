package dev.finwait.flink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

/**
 * {@code --output DIR}: the JSONL as part files in one directory, through Flink's {@link FileSink}.
 * A part file is written hidden (".finwait-...inprogress") and becomes visible only when the
 * checkpoint after it completes (STREAMING) or the job ends (BATCH); a failure rolls the open ones back
 * to the last checkpoint, whose state the job restarts from. So the visible files hold every line once:
 * nothing lost, nothing twice. Each task writes its own files; the lines of all of them together are
 * the output (in no particular order across files).
 */
final class OutputFiles {
    static final String PREFIX = "finwait";
    static final String SUFFIX = ".jsonl";

    private OutputFiles() {
    }

    static FileSink<String> sink(Path dir) {
        return FileSink.forRowFormat(new org.apache.flink.core.fs.Path(dir.toUri()),
                        new SimpleStringEncoder<String>(StandardCharsets.UTF_8.name()))
                .withBucketAssigner(new BasePathBucketAssigner<>())
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix(PREFIX).withPartSuffix(SUFFIX).build())
                .build();
    }

    /** The committed part files of {@code dir} (hidden in-progress and pending files are not output yet). */
    static List<Path> committed(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(PREFIX) && n.endsWith(SUFFIX) && Files.isRegularFile(p);
            }).sorted().toList();
        }
    }

    /** Every line of the committed part files. */
    static List<String> lines(Path dir) throws IOException {
        List<String> all = new ArrayList<>();
        for (Path p : committed(dir)) {
            all.addAll(Files.readAllLines(p, StandardCharsets.UTF_8));
        }
        return all;
    }
}
