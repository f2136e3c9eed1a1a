"""What the apps' REST APIs share: scoped querysets and object permissions, query parameters,
service errors and serializer fields. Each app's `<app>/api/` builds on these; `openveiligheid.api`
only wires the apps' viewsets into /api/v1/."""
