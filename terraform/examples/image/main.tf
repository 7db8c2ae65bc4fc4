# Deploys jobmatch from a container image built with lambda/Dockerfile. The
# repository must exist before the image can be pushed, so the first time:
#
#	terraform apply -target=module.jobmatch.module.ecr -var image_tag=$(git rev-parse --short HEAD)
#	docker build --platform linux/arm64 -f lambda/Dockerfile -t <ecr_repository_url>:<tag> .
#	docker push <ecr_repository_url>:<tag>
#	terraform apply -var image_tag=<tag>

module "jobmatch" {
  source = "../.."

  name         = "jobmatch"
  package_type = "Image"
  architecture = var.architecture
  create_ecr   = true
  image_tag    = var.image_tag
}
