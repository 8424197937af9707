"""Dense SNP data files: VCF calls (`vcf`) and population site tables and maps (`tables`).

Readers only: they take a path, check every line and return arrays, or raise
`errors.InvalidInput` naming the file and line. The store is `services.snp`'s; the
kinship maths is `kinship.snp_lr`'s.
"""
