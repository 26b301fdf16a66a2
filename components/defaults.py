"""Named defaults shared by the environment spec and the components, in one place."""

NONCURRENT_VERSION_DAYS = 30
"""Days an overwritten or deleted object version is kept."""
ABORT_INCOMPLETE_UPLOAD_DAYS = 7
"""Days before an unfinished multipart upload is removed."""
SOFT_DELETE_DAYS = 7
"""Days a deleted object or container can be restored (GCS minimum is 7)."""
UNTAGGED_IMAGE_DAYS = 14
"""Days before an untagged container image is deleted."""
KEEP_LAST_IMAGES = 50
"""Tagged images kept per repository."""
LOCAL_VOLUME_SIZE_GI = 50
"""Volume size of in-cluster stand-ins (artifact store, registry)."""
KMS_DELETION_WINDOW_DAYS = 30
"""Waiting period before a scheduled KMS key deletion completes (the AWS maximum)."""
