package dev.finwait.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.source.doctree.DocCommentTree;
import com.sun.source.doctree.DocTree;
import com.sun.source.doctree.ParamTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Every public or protected type, constructor, method, field and enum constant of the library's API
 * packages has a javadoc comment. The check is javac's own doclint ({@code -Xdoclint:missing}, the
 * javadoc tool's "no comment" warning) over the main sources; only its "no comment" findings count:
 * a {@code @param} or {@code @return} that would repeat the first sentence is not required.
 *
 * <p>The API packages are the ones README.md ("The public API") names; {@code decode}, {@code state},
 * {@code compat}, {@code pipeline} and {@code report} are the engine's rooms, public only for the
 * command line and the Flink job.
 */
class ApiDocumentationTest {
    static final List<String> API_PACKAGES = List.of("dev.finwait", "dev.finwait.model", "dev.finwait.event",
            "dev.finwait.capture", "dev.finwait.capture.live", "dev.finwait.tcp", "dev.finwait.flow",
            "dev.finwait.snapshot", "dev.finwait.diagnosis", "dev.finwait.report.format");

    @Test
    void everyPublicMemberOfTheApiHasAComment() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        Path project = Files.exists(root.resolve("analyzer-core")) ? root : root.getParent();
        Path main = project.resolve("analyzer-core/src/main/java");
        assertTrue(Files.isDirectory(main), main + " missing: the check reads the library's sources");
        for (String p : API_PACKAGES) {
            assertTrue(Files.isDirectory(main.resolve(p.replace('.', '/'))), "API package " + p + " not found");
        }
        List<Path> sources;
        try (Stream<Path> files = Files.walk(main)) {
            sources = files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
        assertTrue(sources.size() > 100, "read the sources: " + sources.size());

        List<String> missing = undocumented(sources, project);
        assertEquals("", String.join("\n", missing),
                missing.size() + " public members of the API packages have no javadoc comment");
    }

    /** "file:line: declaration" for each doclint "no comment" in the API packages. */
    private static List<String> undocumented(List<Path> sources, Path project) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Path out = Files.createTempDirectory("api-doc");
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            // No -Xlint:none: it turns doclint off as well.
            List<String> options = List.of("-proc:none", "-Xmaxwarns", "100000", "-d", out.toString(),
                    "-classpath", System.getProperty("java.class.path"),
                    "-Xdoclint:missing/protected", "-Xdoclint/package:" + String.join(",", API_PACKAGES));
            JavacTask task = (JavacTask) javac.getTask(null, files, diagnostics, options, null,
                    files.getJavaFileObjectsFromPaths(sources));
            Iterable<? extends CompilationUnitTree> units = task.parse();
            task.analyze();
            List<String> errors = new ArrayList<>();
            List<String> missing = new ArrayList<>(undocumentedComponents(task, units, project));
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                String where = d.getSource() == null ? "?"
                        : project.relativize(Path.of(d.getSource().toUri())) + ":" + d.getLineNumber();
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    errors.add(where + ": " + d.getMessage(Locale.ROOT));
                } else if (d.getMessage(Locale.ROOT).equals("no comment")) {
                    missing.add(where + ": " + line(d));
                }
            }
            assertTrue(errors.isEmpty(), "the sources did not compile:\n" + String.join("\n", errors));
            return missing;
        } finally {
            try (Stream<Path> written = Files.walk(out)) {
                written.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /**
     * Doclint does not look at record components: a public record's component (and so its accessor)
     * needs an {@code @param} in the record's comment.
     */
    private static List<String> undocumentedComponents(JavacTask task, Iterable<? extends CompilationUnitTree> units,
            Path project) {
        DocTrees trees = DocTrees.instance(task);
        List<String> missing = new ArrayList<>();
        for (CompilationUnitTree unit : units) {
            String pkg = unit.getPackageName() == null ? "" : unit.getPackageName().toString();
            if (!API_PACKAGES.contains(pkg)) {
                continue;
            }
            new TreePathScanner<Void, Void>() {
                @Override
                public Void visitClass(ClassTree tree, Void unused) {
                    TreePath path = getCurrentPath();
                    if (trees.getElement(path) instanceof TypeElement type && type.getKind() == ElementKind.RECORD
                            && exported(type)) {
                        Set<String> documented = new HashSet<>();
                        DocCommentTree doc = trees.getDocCommentTree(path);
                        if (doc != null) {
                            for (DocTree tag : doc.getBlockTags()) {
                                if (tag instanceof ParamTree param && !param.isTypeParameter()) {
                                    documented.add(param.getName().getName().toString());
                                }
                            }
                        }
                        long line = unit.getLineMap().getLineNumber(trees.getSourcePositions().getStartPosition(unit, tree));
                        for (RecordComponentElement c : type.getRecordComponents()) {
                            if (!documented.contains(c.getSimpleName().toString())
                                    && !specifiedAbove(task.getElements(), type, c.getSimpleName().toString())) {
                                missing.add(project.relativize(Path.of(unit.getSourceFile().toUri())) + ":" + line
                                        + ": record component " + type.getSimpleName() + "." + c.getSimpleName());
                            }
                        }
                    }
                    return super.visitClass(tree, unused);
                }
            }.scan(unit, null);
        }
        return missing;
    }

    /** The accessor implements a documented method of an interface (ConnectionEvent's connectionId, say). */
    private static boolean specifiedAbove(Elements elements, TypeElement type, String accessor) {
        for (TypeMirror i : type.getInterfaces()) {
            if (((DeclaredType) i).asElement() instanceof TypeElement above) {
                for (Element m : elements.getAllMembers(above)) {
                    if (m instanceof ExecutableElement e && e.getSimpleName().contentEquals(accessor)
                            && e.getParameters().isEmpty() && elements.getDocComment(e) != null) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Public, and so are the types around it. */
    private static boolean exported(Element e) {
        for (Element at = e; at instanceof TypeElement; at = at.getEnclosingElement()) {
            if (!at.getModifiers().contains(Modifier.PUBLIC)) {
                return false;
            }
        }
        return true;
    }

    private static String line(Diagnostic<? extends JavaFileObject> d) {
        try {
            String text = d.getSource().getCharContent(true).toString();
            int start = (int) d.getStartPosition();
            int end = text.indexOf('\n', start);
            return text.substring(start, end < 0 ? text.length() : end).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
