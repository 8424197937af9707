# Reference LRs for chosei's kinship engine, computed independently with pedprobr.
#
# Not run by CI (CI runs Python only). Its output, pedprobr_families.json next to this
# file, is what tests/kinship/test_pedprobr_families.py, test_pedprobr_paths.py and
# test_pedprobr_ped_files.py pin.
#
# Needs R >= 4.2 and the packages pedtools, pedprobr, pedmut (with their imports
# kinship2 and lpSolve, and jsonlite for the output) on R's library path. CRAN is not
# needed: install each package from its GitHub source with `R CMD INSTALL <dir>`. Set
# PEDREF_SOURCES to say which sources were used; it is copied into the JSON.
#
# Regenerate (from the repository root):
#   Rscript tests/kinship/data/pedprobr_families.R tests/kinship/data/ped \
#     > tests/kinship/data/pedprobr_families.json
# The optional argument is a folder where each family is also written by pedtools'
# writePed (NAME.ped: id fid mid sex and the typed relatives' genotypes, V untyped), as
# forrel/QuickPed users send a family.
#
# What is computed, for every family below and every specimen:
#   LR = P(specimen placed as the victim V, relatives | pedigree)
#        / (P(relatives | pedigree) * P(specimen as an unrelated person))
# per marker with pedprobr::likelihood (theta 0), (a) without mutation ("none") and (b)
# with pedmut's "equal" model at RATE for both sexes; also, beyond what the issue asks,
# (c) "proportional" at RATE and (d) "stepwise" (RATE, RATE2 between integer alleles
# and microvariants, RANGE); the total LR is the product over the
# markers. P(specimen) is pedprobr's likelihood of a singleton. Allele lumping is
# switched off, so every likelihood is the plain sum over all alleles.
#
# Genotypes are generated, never real: founders' alleles are drawn from the frequencies
# and passed down without mutation (gene dropping, fixed seed per family). Specimen "V"
# is the victim's own dropped genotype (the specimen is him); specimen "unrelated" is
# drawn from the frequencies. Family loop_parents_cousins has a third specimen,
# "mutant": V's genotype with one allele changed at D1 so that it shares no allele with
# his typed mother: LR 0 there without mutation, positive with it.

suppressPackageStartupMessages({
  library(pedtools)
  library(pedprobr)
  library(pedmut)
  library(jsonlite)
})

RATE <- 0.005
RATE2 <- 0.001
RANGE <- 0.5

# name -> the pedmut model at a marker with frequencies `af` (NULL: no mutation)
MODELS <- list(
  none = function(af) NULL,
  equal = function(af) mutationModel("equal", alleles = names(af), afreq = af, rate = RATE),
  proportional = function(af) mutationModel("proportional", alleles = names(af), afreq = af, rate = RATE),
  stepwise = function(af) mutationModel("stepwise", alleles = names(af), afreq = af, rate = RATE,
                                        rate2 = RATE2, range = RANGE)
)

FREQS <- list(
  D1 = c("9" = 0.1, "10" = 0.2, "11" = 0.3, "12" = 0.25, "13" = 0.15),
  D2 = c("14" = 0.05, "15" = 0.35, "16" = 0.4, "17" = 0.2),
  D3 = c("6" = 0.3, "7" = 0.2, "8" = 0.15, "9" = 0.15, "9.3" = 0.2),
  D4 = c("20" = 0.45, "21" = 0.3, "22" = 0.25)
)

# A family: people as "id father mother sex" (0 = founder; sex 1 male, 2 female),
# listed parents first; V is the victim; `typed` are the relatives who gave DNA;
# `paths` maps typed relatives to the relationship path that describes the family,
# or is NULL when no set of paths does (a tree only).
family <- function(name, describe, people, typed, paths = NULL) {
  parts <- strsplit(people, " +")
  df <- data.frame(
    id = vapply(parts, `[`, "", 1),
    fid = vapply(parts, `[`, "", 2),
    mid = vapply(parts, `[`, "", 3),
    sex = as.integer(vapply(parts, `[`, "", 4)),
    stringsAsFactors = FALSE
  )
  list(name = name, describe = describe, df = df, typed = typed, paths = paths)
}

FAMILIES <- list(
  family("paternal_uncle", "the victim's paternal uncle",
    c("GF 0 0 1", "GM 0 0 2", "F GF GM 1", "U GF GM 1", "M 0 0 2", "V F M 1"),
    typed = "U", paths = list(U = "father's brother")),
  family("maternal_aunt", "the victim's maternal aunt",
    c("GF 0 0 1", "GM 0 0 2", "M GF GM 2", "A GF GM 2", "F 0 0 1", "V F M 1"),
    typed = "A", paths = list(A = "mother's sister")),
  family("cousin_paternal", "a first cousin on the father's side (paternal uncle's son)",
    c("GF 0 0 1", "GM 0 0 2", "F GF GM 1", "U GF GM 1", "Uw 0 0 2", "C U Uw 1", "M 0 0 2", "V F M 1"),
    typed = "C", paths = list(C = "father's brother's son")),
  family("cousin_maternal", "a first cousin on the mother's side (maternal aunt's daughter)",
    c("GF 0 0 1", "GM 0 0 2", "M GF GM 2", "A GF GM 2", "Ah 0 0 1", "C Ah A 2", "F 0 0 1", "V F M 1"),
    typed = "C", paths = list(C = "mother's sister's daughter")),
  family("great_nephew", "a great-nephew (brother's son's son)",
    c("F 0 0 1", "M 0 0 2", "V F M 1", "B F M 1", "Bw 0 0 2", "N B Bw 1", "Nw 0 0 2", "G N Nw 1"),
    typed = "G", paths = list(G = "brother's son's son")),
  family("great_grandson", "a great-grandson (son's son's son)",
    c("V 0 0 1", "W 0 0 2", "S V W 1", "Sw 0 0 2", "SS S Sw 1", "SSw 0 0 2", "G SS SSw 1"),
    typed = "G", paths = list(G = "son's son's son")),
  family("cousin_once_removed", "a first cousin once removed (paternal cousin's son)",
    c("GF 0 0 1", "GM 0 0 2", "F GF GM 1", "U GF GM 1", "Uw 0 0 2", "C U Uw 1", "Cw 0 0 2",
      "CS C Cw 1", "M 0 0 2", "V F M 1"),
    typed = "CS", paths = list(CS = "father's brother's son's son")),
  family("nephews_two_brothers", "two nephews, sons of two different brothers",
    c("F 0 0 1", "M 0 0 2", "V F M 1", "B1 F M 1", "B2 F M 1", "W1 0 0 2", "W2 0 0 2",
      "N1 B1 W1 1", "N2 B2 W2 1"),
    typed = c("N1", "N2")),
  family("grandchildren_two_sons", "a grandson and a granddaughter by two different sons",
    c("V 0 0 1", "W 0 0 2", "S1 V W 1", "S2 V W 1", "S1w 0 0 2", "S2w 0 0 2",
      "G1 S1 S1w 1", "G2 S2 S2w 2"),
    typed = c("G1", "G2")),
  family("nephew_and_his_son", "a nephew (brother's son) and that nephew's own son",
    c("F 0 0 1", "M 0 0 2", "V F M 1", "B F M 1", "Bw 0 0 2", "N B Bw 1", "Nw 0 0 2", "NS N Nw 1"),
    typed = c("N", "NS")),
  family("loop_parents_cousins",
    "marriage loop: the victim's parents are first cousins; his mother and brother typed",
    c("G1 0 0 1", "G2 0 0 2", "A G1 G2 1", "B G1 G2 2", "Aw 0 0 2", "Bh 0 0 1",
      "F A Aw 1", "M Bh B 2", "V F M 1", "Br F M 1"),
    typed = c("M", "Br")),
  family("loop_donor_parents_cousins",
    "marriage loop: the donor is the victim's brother's son, his mother the victim's maternal first cousin; the victim's maternal aunt typed too",
    c("GF 0 0 1", "GM 0 0 2", "M GF GM 2", "Ms GF GM 2", "F 0 0 1", "V F M 1", "B F M 1",
      "Msh 0 0 1", "C Msh Ms 2", "D B C 1"),
    typed = c("D", "Ms")),
  family("nephews_one_brother", "two nephews, sons of one brother (today's vocabulary)",
    c("F 0 0 1", "M 0 0 2", "V F M 1", "B F M 1", "Bw 0 0 2", "N1 B Bw 1", "N2 B Bw 1"),
    typed = c("N1", "N2"), paths = list(N1 = "brother's son", N2 = "brother's son")),
  family("grandchildren_one_son", "a grandson and a granddaughter by one son (today's vocabulary)",
    c("V 0 0 1", "W 0 0 2", "S V W 1", "Sw 0 0 2", "G1 S Sw 1", "G2 S Sw 2"),
    typed = c("G1", "G2"), paths = list(G1 = "son's son", G2 = "son's daughter")),
  family("three_lines", "a paternal uncle, a maternal cousin and a great-nephew together",
    c("PGF 0 0 1", "PGM 0 0 2", "F PGF PGM 1", "U PGF PGM 1", "MGF 0 0 1", "MGM 0 0 2",
      "M MGF MGM 2", "A MGF MGM 2", "Ah 0 0 1", "C Ah A 2", "V F M 1", "B F M 1", "Bw 0 0 2",
      "N B Bw 1", "Nw 0 0 2", "G N Nw 1"),
    typed = c("U", "C", "G"),
    paths = list(U = "father's brother", C = "mother's sister's daughter", G = "brother's son's son")),
  family("half_nephew", "a paternal half-brother's son",
    c("F 0 0 1", "M 0 0 2", "V F M 1", "Fp 0 0 2", "H F Fp 1", "Hw 0 0 2", "N H Hw 1"),
    typed = "N", paths = list(N = "half-brother (paternal)'s son")),
  family("cousin_fathers_sister", "a first cousin on the father's side through his sister",
    c("GF 0 0 1", "GM 0 0 2", "F GF GM 1", "S GF GM 2", "Sh 0 0 1", "C Sh S 1", "M 0 0 2", "V F M 1"),
    typed = "C", paths = list(C = "father's sister's son")),
  family("cousin_mothers_brother", "a first cousin on the mother's side through her brother",
    c("GF 0 0 1", "GM 0 0 2", "M GF GM 2", "B GF GM 1", "Bw 0 0 2", "C B Bw 2", "F 0 0 1", "V F M 1"),
    typed = "C", paths = list(C = "mother's brother's daughter")),
  family("large_three_loops",
    "32 people over five generations, 12 typed relatives, three cousin marriages: the victim's parents, his brother and his paternal first cousin, and his father's sister and her paternal first cousin",
    c("G1 0 0 1", "G2 0 0 2", "H1 0 0 1", "H2 0 0 2",
      "A G1 G2 1", "B G1 G2 2", "C G1 G2 1", "D H1 H2 2", "E H1 H2 1",
      "Bh 0 0 1", "Cw 0 0 2", "Ew 0 0 2",
      "F A D 1", "S1 A D 2", "K Bh B 2", "L C Cw 1", "Mo E Ew 2",
      "V F Mo 1", "Br F Mo 1", "Si F Mo 2", "Q L S1 2", "R L S1 1", "Kh 0 0 1", "T Kh K 1",
      "N1 Br Q 1", "N2 Br Q 2", "Sih 0 0 1", "N3 Sih Si 1", "Tw 0 0 2", "U1 T Tw 1",
      "N1w 0 0 2", "GN N1 N1w 1"),
    typed = c("D", "E", "C", "K", "L", "Q", "R", "N1", "N2", "N3", "U1", "GN"))
)

# --- genotypes -------------------------------------------------------------------

draw <- function(af) sample(names(af), 2, replace = TRUE, prob = af)

drop_genes <- function(df, af) {
  genes <- list()
  for (i in seq_len(nrow(df))) {
    if (df$fid[i] == "0") {
      genes[[df$id[i]]] <- draw(af)
    } else {
      genes[[df$id[i]]] <- c(sample(genes[[df$fid[i]]], 1), sample(genes[[df$mid[i]]], 1))
    }
  }
  genes
}

# "a/b" in the marker's allele order (numerical), as chosei writes genotypes
geno_string <- function(alleles, af) {
  order <- match(alleles, names(af))
  paste(alleles[order(order)], collapse = "/")
}

# --- likelihoods ----------------------------------------------------------------

make_ped <- function(df) ped(id = df$id, fid = df$fid, mid = df$mid, sex = df$sex)

marker_for <- function(x, genotypes, mk, model) {
  geno <- rep(NA_character_, pedsize(x))
  names(geno) <- labels(x)
  for (id in names(genotypes)) geno[[id]] <- genotypes[[id]]
  af <- FREQS[[mk]]
  marker(x, geno = unname(geno), alleles = names(af), afreq = unname(af), name = mk,
         mutmod = MODELS[[model]](af))
}

lik <- function(x, genotypes, mk, model) {
  m <- marker_for(x, genotypes, mk, model)
  likelihood(x, markers = list(m), lump = FALSE)
}

marker_lr <- function(x, relatives, specimen, mk, model) {
  h1 <- lik(x, c(relatives, list(V = specimen)), mk, model)
  h0 <- lik(x, relatives, mk, model)
  alone <- singleton("S")
  ps <- lik(alone, list(S = specimen), mk, "none")
  list(lr = h1 / (h0 * ps), h1 = h1, relatives = h0, specimen = ps)
}

# --- JSON with full-precision numbers ---------------------------------------------

num <- function(x) paste0("@@", sprintf("%.17g", x), "@@")

# --- the families ---------------------------------------------------------------

PED_DIR <- commandArgs(trailingOnly = TRUE)[1]

out_families <- list()
for (k in seq_along(FAMILIES)) {
  fam <- FAMILIES[[k]]
  set.seed(1942 + k)
  df <- fam$df
  x <- make_ped(df)
  genotypes <- list()      # marker -> id -> "a/b"
  specimens <- list(V = list(), unrelated = list())
  for (mk in names(FREQS)) {
    af <- FREQS[[mk]]
    genes <- drop_genes(df, af)
    genotypes[[mk]] <- lapply(setNames(fam$typed, fam$typed), function(id) geno_string(genes[[id]], af))
    specimens$V[[mk]] <- geno_string(genes[["V"]], af)
    specimens$unrelated[[mk]] <- geno_string(draw(af), af)
  }
  if (fam$name == "loop_parents_cousins") {
    # V keeps his paternal allele at D1 if his mother lacks it; the other allele
    # becomes one she lacks too: no allele from his mother, so LR 0 without mutation.
    mother <- strsplit(genotypes$D1$M, "/")[[1]]
    free <- setdiff(names(FREQS$D1), mother)
    mine <- strsplit(specimens$V$D1, "/")[[1]]
    keep <- setdiff(mine, mother)
    keep <- if (length(keep)) keep[1] else free[1]
    other <- setdiff(free, keep)[1]
    specimens$mutant <- specimens$V
    specimens$mutant$D1 <- geno_string(c(keep, other), FREQS$D1)
  }
  if (!is.na(PED_DIR)) {
    dir.create(PED_DIR, showWarnings = FALSE, recursive = TRUE)
    typed_ped <- setMarkers(x, lapply(names(FREQS), function(mk) marker_for(x, genotypes[[mk]], mk, "none")))
    writePed(typed_ped, prefix = file.path(PED_DIR, fam$name), what = "ped", verbose = FALSE)
  }
  results <- list()
  for (sp in names(specimens)) {
    per <- list()
    for (model in names(MODELS)) {
      rows <- list()
      total <- 1
      for (mk in names(FREQS)) {
        r <- marker_lr(x, genotypes[[mk]], specimens[[sp]][[mk]], mk, model)
        total <- total * r$lr
        rows[[mk]] <- list(lr = num(r$lr), h1 = num(r$h1), relatives = num(r$relatives),
                           specimen = num(r$specimen))
      }
      per[[model]] <- list(total = num(total), markers = rows)
    }
    if (sp == "mutant") {
      for (model in names(MODELS)) {
        d1 <- as.numeric(gsub("@", "", per[[model]]$markers$D1$lr))
        stopifnot(if (model == "none") d1 == 0 else d1 > 0)
      }
    }
    results[[sp]] <- list(genotypes = specimens[[sp]], lr = per)
  }
  people <- lapply(seq_len(nrow(df)), function(i)
    list(id = df$id[i], father = if (df$fid[i] == "0") NULL else df$fid[i],
         mother = if (df$mid[i] == "0") NULL else df$mid[i],
         sex = if (df$sex[i] == 1) "M" else "F"))
  out_families[[k]] <- list(
    name = fam$name,
    describe = fam$describe,
    victim = "V",
    people = people,
    typed = as.list(fam$typed),
    paths = if (is.null(fam$paths)) NULL else fam$paths,
    loops = hasUnbrokenLoops(x),
    relatives = genotypes,
    specimens = results
  )
}

versions <- list(
  R = R.version.string,
  pedtools = as.character(packageVersion("pedtools")),
  pedprobr = as.character(packageVersion("pedprobr")),
  pedmut = as.character(packageVersion("pedmut")),
  kinship2 = as.character(packageVersion("kinship2")),
  sources = Sys.getenv("PEDREF_SOURCES")
)

freqs_out <- lapply(FREQS, function(af) lapply(as.list(af), num))

doc <- list(
  about = paste(
    "Reference LRs computed with pedprobr::likelihood by pedprobr_families.R (theta 0;",
    "mutation 'none' and the pedmut models given, both sexes);",
    "LR = P(specimen as V, relatives) / (P(relatives) P(specimen)), per marker, total = product."
  ),
  versions = versions,
  mutation = list(
    equal = list(rate = num(RATE)),
    proportional = list(rate = num(RATE)),
    stepwise = list(rate = num(RATE), rate2 = num(RATE2), range = num(RANGE))
  ),
  theta = 0,
  frequencies = freqs_out,
  families = out_families
)

text <- toJSON(doc, auto_unbox = TRUE, pretty = TRUE, null = "null")
text <- gsub('"@@([^@]*)@@"', "\\1", text)
cat(text, "\n", sep = "")
