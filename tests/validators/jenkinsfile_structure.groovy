// The structure of declarative Jenkinsfiles, read from Groovy's own AST (nothing is executed).
//   groovy jenkinsfile_structure.groovy Jenkinsfile [more files...]
// Prints one JSON line per file: {"file", "error", "calls", "sh", "pipelines"}.
//  - "calls": every method call of the file with the names of the calls whose closures enclose it,
//    outermost first (`pipeline`, `post`, `failure`, `sh`), its stage when it sits in one, and its
//    constant arguments (positional ones under "args", named ones under "named"; null when not constant);
//  - "sh": each `sh` step's script (null when it is not a constant string, e.g. a GString whose
//    `${…}` Groovy would interpolate), with its path;
//  - "pipelines": how many `pipeline { … }` blocks the file has at its top level.
// The parse stops at Groovy's CONVERSION phase, where the source has become an AST and nothing has
// been resolved or compiled, which is as far as a Jenkinsfile needs to be read for its structure.
// tests/validators/semantics/jenkins.py decides what the structure means.
import groovy.json.JsonOutput
import org.codehaus.groovy.ast.CodeVisitorSupport
import org.codehaus.groovy.ast.expr.ArgumentListExpression
import org.codehaus.groovy.ast.expr.ClosureExpression
import org.codehaus.groovy.ast.expr.ConstantExpression
import org.codehaus.groovy.ast.expr.Expression
import org.codehaus.groovy.ast.expr.MapExpression
import org.codehaus.groovy.ast.expr.MethodCallExpression
import org.codehaus.groovy.ast.expr.TupleExpression
import org.codehaus.groovy.ast.expr.VariableExpression
import org.codehaus.groovy.ast.stmt.BlockStatement
import org.codehaus.groovy.ast.stmt.ExpressionStatement
import org.codehaus.groovy.control.CompilationUnit
import org.codehaus.groovy.control.CompilerConfiguration
import org.codehaus.groovy.control.Phases
import org.codehaus.groovy.control.MultipleCompilationErrorsException

class Calls extends CodeVisitorSupport {
    List<Map> calls = []
    List<Map> sh = []
    List<String> path = []
    List<String> stages = []

    static String constant(Expression e) {
        (e instanceof ConstantExpression && e.value instanceof String) ? (String) e.value : null
    }

    // A constant argument as it is (a string, number or boolean); anything else is null.
    static Object value(Expression e) {
        e instanceof ConstantExpression ? ((ConstantExpression) e).value : null
    }

    static List<Expression> positional(MethodCallExpression call) {
        def args = call.arguments
        if (!(args instanceof TupleExpression)) return [args]
        ((TupleExpression) args).expressions.findAll { !(it instanceof MapExpression) && !(it instanceof ClosureExpression) }
    }

    static Map<String, Expression> named(MethodCallExpression call) {
        def out = [:]
        def args = call.arguments
        if (args instanceof TupleExpression) {
            ((TupleExpression) args).expressions.findAll { it instanceof MapExpression }.each { MapExpression m ->
                m.mapEntryExpressions.each { entry ->
                    def key = constant(entry.keyExpression)
                    if (key != null) out[key] = entry.valueExpression
                }
            }
        }
        out
    }

    @Override
    void visitMethodCallExpression(MethodCallExpression call) {
        // Only calls on the implicit `this` are Pipeline steps and sections: `sh(...)`, not `x.sh(...)`.
        boolean step = call.implicitThis || (call.objectExpression instanceof VariableExpression && call.objectExpression.text == 'this')
        String name = call.methodAsString
        if (!step || name == null) {
            super.visitMethodCallExpression(call)
            return
        }
        def args = positional(call)
        def keyed = named(call)
        String stage = name == 'stage' && args ? constant(args[0]) : null
        calls << [name: name, path: new ArrayList(path), stage: stages ? stages[-1] : null, line: call.lineNumber,
                  args: args.collect { value(it) }, named: keyed.collectEntries { k, v -> [k, value(v)] }]
        if (name == 'sh') {
            Expression script = keyed.containsKey('script') ? keyed['script'] : (args ? args[0] : null)
            sh << [path: new ArrayList(path), stage: stages ? stages[-1] : null, line: call.lineNumber,
                   script: script == null ? null : constant(script)]
        }
        path << name
        if (name == 'stage') stages << (stage ?: '')
        call.arguments.visit(this)
        if (name == 'stage') stages.remove(stages.size() - 1)
        path.remove(path.size() - 1)
    }
}

if (args.length == 0) { System.err.println("usage: groovy jenkinsfile_structure.groovy FILE..."); System.exit(2) }
args.each { file ->
    def out = [file: file]
    try {
        def unit = new CompilationUnit(new CompilerConfiguration())
        unit.addSource(new File(file).name, new File(file).getText("UTF-8"))
        unit.compile(Phases.CONVERSION)
        def visitor = new Calls()
        def module = unit.AST.modules[0]
        module.statementBlock.visit(visitor)
        out.calls = visitor.calls
        out.sh = visitor.sh
        out.pipelines = module.statementBlock.statements.count { s ->
            s instanceof ExpressionStatement && s.expression instanceof MethodCallExpression &&
                ((MethodCallExpression) s.expression).methodAsString == 'pipeline'
        }
    } catch (MultipleCompilationErrorsException e) {
        out.error = e.errorCollector.errors.collect { err ->
            def cause = err.respondsTo("getCause") ? err.cause : null
            (cause ? cause.message : err.toString()).readLines().first()
        }.join("; ")
    }
    println JsonOutput.toJson(out)
}
