namespace Weft.Engine.Runners.Python;

/// <summary>
/// The program <c>python3 -c</c> runs for a python task: imports the module, calls the function with the keyword
/// arguments its signature takes (all of them when it has <c>**kwargs</c>), and writes what it returned to
/// <c>$WEFT_OUTPUT</c>: a dict as one output per key (JSON text for values that are not strings), anything else
/// (but None) as <c>return_value</c>. An exception prints its traceback to stderr and exits 1.
/// </summary>
internal static class PythonBootstrap
{
    public const string Program = """
        import asyncio, importlib, inspect, json, os, sys, traceback, uuid

        def _text(value):
            return value if isinstance(value, str) else json.dumps(value, default=str)

        def _write(out, key, value):
            text = _text(value)
            if "\n" in text or "\r" in text:
                delimiter = "WEFT_" + uuid.uuid4().hex
                out.write(f"{key}<<{delimiter}\n{text}\n{delimiter}\n")
            else:
                out.write(f"{key}={text}\n")

        def _main():
            for folder in reversed([p for p in os.environ.get("WEFT_PYTHON_PATH", "").split(os.pathsep) if p]):
                sys.path.insert(0, folder)
            module_name, _, attribute = os.environ["WEFT_PYTHON_FUNCTION"].partition(":")
            target = importlib.import_module(module_name)
            for part in attribute.split("."):
                target = getattr(target, part)
            kwargs = json.loads(os.environ.get("WEFT_PARAMS") or "{}")
            kwargs.update(json.loads(os.environ.get("WEFT_PYTHON_KWARGS") or "{}"))
            positional = json.loads(os.environ.get("WEFT_PYTHON_ARGS") or "[]")
            try:
                parameters = inspect.signature(target).parameters
            except (TypeError, ValueError):
                parameters = None
            if parameters is not None and not any(p.kind == p.VAR_KEYWORD for p in parameters.values()):
                kwargs = {k: v for k, v in kwargs.items() if k in parameters}
            result = target(*positional, **kwargs)
            if inspect.isawaitable(result):
                result = asyncio.run(result) if inspect.iscoroutine(result) else asyncio.get_event_loop().run_until_complete(result)
            with open(os.environ["WEFT_OUTPUT"], "a", encoding="utf-8") as out:
                if isinstance(result, dict):
                    for key, value in result.items():
                        _write(out, str(key), value)
                elif result is not None:
                    _write(out, "return_value", result)

        try:
            _main()
        except SystemExit:
            raise
        except BaseException:
            traceback.print_exc()
            sys.stderr.flush()
            sys.exit(1)
        """;
}
