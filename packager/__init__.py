"""Build modules: the deployable artifacts the Pulumi program points at.

- :mod:`packager.reproducible`: what every build shares (reproducible zips, content
  hashes, the ``build/`` cache and its lock);
- :mod:`packager.lambda_platform`: what Lambda runs the functions on (runtime,
  architecture, and so the wheels' platform);
- :mod:`packager.layer_lock`: the layer's lock file (``make lock``) and its freshness
  check against ``pyproject.toml``;
- :mod:`packager.bytecode`: the runtime's Python (``LAMBDA_PYTHON``, ``python3.12``)
  and the bytecode it compiles into the Lambda artifacts;
- :mod:`packager.lambda_artifacts`: the Lambda code archive and dependency layer
  (``bookingctl package``; the program calls ``ensure_artifacts``);
- :mod:`packager.web_app`: the web app's static site (``npm ci`` + ``npm run build``),
  uploaded by the CDN component (the program calls ``ensure_web_build``).
"""
