from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """gzip only: brotli (installed with WeasyPrint) takes over a minute on the vendored
    API-docs bundles at every collectstatic, for little gain behind a compressing proxy."""

    def create_compressor(self, **kwargs):
        return Compressor(use_brotli=False, **kwargs)
