package dev.finwait.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The direction of the house, checked on the compiled classes: data flows
 * capture -> decode -> flow -> state -> report, the vocabulary ({@code model}, {@code tcp}) sits at
 * the bottom, and no two packages depend on each other.
 */
class ArchitectureTest {
    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.finwait");
    }

    static ArchRule noPackageCycles() {
        return slices().matching("dev.finwait.(**)").should().beFreeOfCycles();
    }

    @Test
    void packagesFormNoCycle() {
        noPackageCycles().check(main);
    }

    static ArchRule stateDoesNotKnowReporting() {
        return noClasses().that().resideInAPackage("dev.finwait.state..")
                .should().dependOnClassesThat().resideInAPackage("dev.finwait.report..");
    }

    @Test
    void theStateMachineDoesNotKnowReporting() {
        stateDoesNotKnowReporting().check(main);
    }

    @Test
    void aStateToReportImportIsCaught() {
        // A test-tree class in dev.finwait.state that calls the verdict: the rule must reject it.
        JavaClasses withLeak = new ClassFileImporter().importClasses(
                dev.finwait.state.ReportingLeakFixture.class, dev.finwait.report.ConnectionVerdict.class);
        AssertionError e = assertThrows(AssertionError.class, () -> stateDoesNotKnowReporting().check(withLeak));
        assertTrue(e.getMessage().contains("ReportingLeakFixture"), e.getMessage());
    }

    @Test
    void theVocabularyStandsOnTcpAlone() {
        noClasses().that().resideInAnyPackage("dev.finwait.model..", "dev.finwait.tcp..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.finwait.capture..", "dev.finwait.decode..",
                        "dev.finwait.flow..", "dev.finwait.state..", "dev.finwait.event..", "dev.finwait.report..",
                        "dev.finwait.compat..", "dev.finwait.pipeline..", "dev.finwait")
                .check(main);
    }

    @Test
    void onlyReportingAndTheFacadeSeeTheFormats() {
        noClasses().that().resideOutsideOfPackages("dev.finwait.report..", "dev.finwait")
                .should().dependOnClassesThat().resideInAPackage("dev.finwait.report.format..")
                .check(main);
    }

    @Test
    void nothingBelowTheFacadeUsesIt() {
        noClasses().that().resideOutsideOfPackage("dev.finwait")
                .should().dependOnClassesThat().resideInAPackage("dev.finwait")
                .check(main);
    }

    /**
     * The state machine's mutable state changes only through the methods of the class that owns it:
     * another class of the package cannot reach in and set a tracker's fields (constants aside).
     */
    @Test
    void stateKeepsItsFieldsToItself() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields()
                .that().areDeclaredInClassesThat().resideInAPackage("dev.finwait.state")
                .and().areNotStatic()
                .should().bePrivate().orShould().beFinal()
                .check(main);
    }

    @Test
    void pcap4jStaysInLiveCapture() {
        noClasses().that().resideOutsideOfPackage("dev.finwait.capture.live..")
                .should().dependOnClassesThat().resideInAPackage("org.pcap4j..")
                .check(main);
    }

    @Test
    void jnaStaysInLiveCapture() {
        noClasses().that().resideOutsideOfPackage("dev.finwait.capture.live..")
                .should().dependOnClassesThat().resideInAPackage("com.sun.jna..")
                .check(main);
    }

    /** The layers README's "How it works" draws, top first: a package imports only packages on lower lines. */
    private static final List<List<String>> LAYERS = List.of(
            List.of("dev.finwait", "dev.finwait.capture.live"),
            List.of("dev.finwait.pipeline", "dev.finwait.report.format"),
            List.of("dev.finwait.report", "dev.finwait.diagnosis"),
            List.of("dev.finwait.flow"),
            List.of("dev.finwait.state", "dev.finwait.compat", "dev.finwait.decode"),
            List.of("dev.finwait.event", "dev.finwait.snapshot", "dev.finwait.capture"),
            List.of("dev.finwait.model"),
            List.of("dev.finwait.tcp"));

    @Test
    void eachPackageImportsOnlyLowerLayers() {
        for (int line = 0; line < LAYERS.size(); line++) {
            for (String pkg : LAYERS.get(line)) {
                List<String> notBelow = new java.util.ArrayList<>();
                for (int other = 0; other <= line; other++) {
                    for (String p : LAYERS.get(other)) {
                        if (!p.equals(pkg)) {
                            notBelow.add(p);
                        }
                    }
                }
                noClasses().that().resideInAPackage(pkg)
                        .should().dependOnClassesThat().resideInAnyPackage(notBelow.toArray(String[]::new))
                        .check(main);
            }
        }
    }

    @Test
    void everyPackageHasAPlaceInTheLayers() {
        java.util.Set<String> placed = new java.util.HashSet<>();
        LAYERS.forEach(placed::addAll);
        java.util.Set<String> packages = new java.util.TreeSet<>();
        main.forEach(c -> packages.add(c.getPackageName()));
        packages.removeAll(placed);
        assertTrue(packages.isEmpty(), "packages without a layer (add them to LAYERS and README): " + packages);
    }
}
