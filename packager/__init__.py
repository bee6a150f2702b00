"""Build modules: the deployable artifacts the Pulumi program points at.

- :mod:`packager.reproducible`: what every build shares (reproducible zips, content
  hashes, the ``build/`` cache and its lock);
- :mod:`packager.lambda_artifacts`: the Lambda code archive and dependency layer
  (``bookingctl package``; the program calls ``ensure_artifacts``).

A later build (the web app's) joins them here.
"""
